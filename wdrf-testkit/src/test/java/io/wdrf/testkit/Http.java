package io.wdrf.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Minimal JDK HTTP client for server tests. */
final class Http {

    record Response(int status, Map<String, Object> body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** An open watch: lines parsed into events; {@code END} marks the end of the stream. */
    static final class Watch implements AutoCloseable {
        static final Map<String, Object> END = Map.of("type", "<end>");
        final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        Watch(Stream<String> lines) {
            reader = new Thread(() -> {
                try {
                    lines.forEach(l -> {
                        if (!l.isBlank()) {
                            events.add(parse(l));
                        }
                    });
                } catch (RuntimeException e) {
                    // stream closed
                }
                events.add(END);
            }, "test-watch-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Next event within 5 s, or fails. */
        Map<String, Object> next() throws InterruptedException {
            Map<String, Object> e = events.poll(5, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no watch event within 5 s");
            }
            return e;
        }

        /** Next event that is not a BOOKMARK. */
        Map<String, Object> nextNonBookmark() throws InterruptedException {
            Map<String, Object> e;
            do {
                e = next();
            } while ("BOOKMARK".equals(e.get("type")));
            return e;
        }

        @Override
        public void close() {
            reader.interrupt();
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(String base) {
        this.base = base;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.writeString(body))));
    }

    Response put(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.writeString(body))));
    }

    Response patch(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    Response mergePatch(String path, String body) {
        return patch(path, "application/merge-patch+json", body);
    }

    Response deleteWithBody(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(Json.writeString(body))));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Watch watch(String pathAndQuery) {
        try {
            HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                throw new AssertionError("watch answered " + r.statusCode());
            }
            return new Watch(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a watch and returns its raw lines (blocking stream). */
    Stream<String> watchLines(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("watch " + pathAndQuery + " answered " + r.statusCode());
        }
        return r.body();
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body().isEmpty() ? Map.of() : parse(r.body()), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        try {
            return (Map<String, Object>) Json.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
