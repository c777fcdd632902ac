package io.wdrf.standalone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HttpEndpointsTest {

    private static HttpResponse<String> get(int port, String path, String method) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsHealthAndReadiness() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("wdrf.cycles").tag("result", "ok").register(registry).increment(3);
        AtomicBoolean healthy = new AtomicBoolean(true);
        AtomicReference<String> notReady = new AtomicReference<>("cluster view has not synced yet");
        try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, registry, healthy::get, notReady::get)) {
            http.start();
            int port = http.port();
            assertThat(port).isPositive();

            HttpResponse<String> metrics = get(port, "/metrics", "GET");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("wdrf_cycles_total{result=\"ok\"} 3.0");

            assertThat(get(port, "/healthz", "GET").statusCode()).isEqualTo(200);
            healthy.set(false);
            assertThat(get(port, "/healthz", "GET").statusCode()).isEqualTo(503);

            HttpResponse<String> ready = get(port, "/readyz", "GET");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("not synced");
            notReady.set(null);
            assertThat(get(port, "/readyz", "GET").statusCode()).isEqualTo(200);

            assertThat(get(port, "/metrics", "POST").statusCode()).isEqualTo(405);
            assertThat(get(port, "/nothing", "GET").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void healthIsAnAliasOfHealthz() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, registry, healthy::get, () -> null)) {
            http.start();
            HttpResponse<String> r = get(http.port(), "/health", "GET");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n");
            healthy.set(false);
            assertThat(get(http.port(), "/health", "GET").statusCode()).isEqualTo(503);
        }
    }

    /** Half-open connections (a client that connects and sends nothing, or half a request) cannot block probes. */
    @Test
    void halfOpenConnectionsDoNotBlockTheProbes() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        java.util.List<java.net.Socket> idle = new java.util.ArrayList<>();
        try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, registry, () -> true, () -> null)) {
            http.start();
            for (int i = 0; i < 12; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", http.port());
                if (i % 2 == 1) {
                    s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes());
                    s.getOutputStream().flush();
                }
                idle.add(s);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(20)).build();
            for (String path : java.util.List.of("/healthz", "/readyz", "/metrics")) {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                        .timeout(java.time.Duration.ofSeconds(20)).GET().build();
                assertThat(client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(200);
            }
        } finally {
            for (java.net.Socket s : idle) {
                s.close();
            }
        }
    }
}
