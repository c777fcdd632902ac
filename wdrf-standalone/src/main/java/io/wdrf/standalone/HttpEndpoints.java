package io.wdrf.standalone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text format), {@code /healthz} (liveness) and {@code /readyz} (readiness) on the
 * JDK's HTTP server.
 */
final class HttpEndpoints implements AutoCloseable {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param healthy   liveness
     * @param notReady  null when ready, else why not
     */
    HttpEndpoints(String bind, int port, PrometheusMeterRegistry registry, BooleanSupplier healthy,
                  Supplier<String> notReady) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "wdrf-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> {
            if (!get(ex)) {
                return;
            }
            respond(ex, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape());
        });
        server.createContext("/healthz", ex -> {
            if (!get(ex)) {
                return;
            }
            boolean ok = healthy.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "reconcile loop is not running\n");
        });
        server.createContext("/readyz", ex -> {
            if (!get(ex)) {
                return;
            }
            String why = notReady.get();
            respond(ex, why == null ? 200 : 503, "text/plain; charset=utf-8", why == null ? "ready\n" : why + "\n");
        });
    }

    void start() {
        server.start();
    }

    /** The bound port (useful with port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private static boolean get(HttpExchange ex) throws IOException {
        String m = ex.getRequestMethod();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        respond(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return false;
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            if (!head) {
                os.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
