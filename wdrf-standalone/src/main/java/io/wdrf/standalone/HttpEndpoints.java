package io.wdrf.standalone;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text format), {@code /healthz} and its alias {@code /health} (liveness) and
 * {@code /readyz} (readiness): a deliberately small HTTP/1.1 server (one request per connection,
 * {@code Connection: close}) that cannot be blocked by slow or half-open clients.
 *
 * <p>One accept thread hands each connection to a bounded pool ({@value #THREADS} threads, {@value #QUEUE} queued,
 * further connections are closed at once). A connection must deliver its request head (at most {@value #MAX_HEAD}
 * bytes) within {@link #REQUEST_DEADLINE}, each read waiting at most {@link #READ_TIMEOUT}; otherwise it is closed.
 * So a client holding connections open without sending can delay a probe by a few seconds at most, never block it.
 */
final class HttpEndpoints implements AutoCloseable {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final int THREADS = 8;
    static final int QUEUE = 64;
    static final int MAX_HEAD = 8192;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(3);

    private final ServerSocket socket;
    private final ThreadPoolExecutor pool;
    private final Thread acceptor;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier healthy;
    private final Supplier<String> notReady;
    private volatile boolean closed;

    /**
     * @param healthy   liveness
     * @param notReady  null when ready, else why not
     */
    HttpEndpoints(String bind, int port, PrometheusMeterRegistry registry, BooleanSupplier healthy,
                  Supplier<String> notReady) throws IOException {
        this.registry = registry;
        this.healthy = healthy;
        this.notReady = notReady;
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 64);
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "wdrf-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        acceptor = new Thread(this::acceptLoop, "wdrf-http-accept");
        acceptor.setDaemon(true);
    }

    void start() {
        acceptor.start();
    }

    /** The bound port (useful with port 0). */
    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                pool.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout((int) READ_TIMEOUT.toMillis());
            String head = readHead(s.getInputStream(), System.nanoTime() + REQUEST_DEADLINE.toNanos());
            if (head == null) {
                return;
            }
            String line = head.lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            OutputStream out = s.getOutputStream();
            if (parts.length < 2) {
                respond(out, "GET", 400, "text/plain; charset=utf-8", "bad request\n");
                return;
            }
            String method = parts[0];
            String path = parts[1];
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            handle(out, method, path);
        } catch (IOException | RuntimeException e) {
            // the client went away, timed out or sent garbage: nothing to answer
        }
    }

    private void handle(OutputStream out, String method, String path) throws IOException {
        String text = "text/plain; charset=utf-8";
        boolean known = path.equals("/metrics") || path.equals("/healthz") || path.equals("/health")
                || path.equals("/readyz");
        if (!known) {
            respond(out, method, 404, text, "not found\n");
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            respond(out, "GET", 405, text, "method not allowed\n", "Allow: GET, HEAD\r\n");
            return;
        }
        switch (path) {
            case "/metrics" -> respond(out, method, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape());
            case "/readyz" -> {
                String why = notReady.get();
                respond(out, method, why == null ? 200 : 503, text, why == null ? "ready\n" : why + "\n");
            }
            default -> {
                boolean ok = healthy.getAsBoolean();
                respond(out, method, ok ? 200 : 503, text, ok ? "ok\n" : "reconcile loop is not making progress\n");
            }
        }
    }

    /** The request line and headers (up to the blank line), or null when the client did not send them in time. */
    private static String readHead(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0; // counts \r\n\r\n (or \n\n)
        while (buf.size() < MAX_HEAD) {
            if (System.nanoTime() > deadlineNanos) {
                return null;
            }
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            if (b < 0) {
                return null;
            }
            buf.write(b);
            if (b == '\n') {
                state++;
                if (state == 2) {
                    return buf.toString(StandardCharsets.ISO_8859_1);
                }
            } else if (b != '\r') {
                state = 0;
            }
        }
        return null;
    }

    private static void respond(OutputStream out, String method, int status, String contentType, String body)
            throws IOException {
        respond(out, method, status, contentType, body, "");
    }

    private static void respond(OutputStream out, String method, int status, String contentType, String body,
                                String extraHeaders) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + extraHeaders
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!method.toUpperCase(Locale.ROOT).equals("HEAD")) {
            out.write(bytes);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        pool.shutdownNow();
    }
}
