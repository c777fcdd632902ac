package io.wdrf.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** limit/continue paging, the write audit against a Lease, and User-Agent scoped faults. */
class FakeServerPagingAndAuditTest {

    private FakeKubeApiServer server;
    private Http http;

    @BeforeEach
    void start() {
        server = FakeKubeApiServer.start();
        http = new Http(server.url());
        for (int i = 0; i < 7; i++) {
            server.put("/api/v1/nodes", Map.of("metadata", Map.of("name", "n" + i)));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Map<String, Object> list) {
        List<String> n = new ArrayList<>();
        for (Object o : (List<Object>) list.get("items")) {
            n.add((String) ((Map<String, Object>) ((Map<String, Object>) o).get("metadata")).get("name"));
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Map<String, Object> list) {
        return (Map<String, Object>) list.get("metadata");
    }

    @Test
    void pagesWithLimitAndContinueUntilTheTokenIsGone() {
        List<String> all = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        String cont = null;
        int pages = 0;
        do {
            Http.Response r = http.get("/api/v1/nodes?limit=3" + (cont == null ? "" : "&continue=" + cont));
            assertThat(r.status()).isEqualTo(200);
            List<String> page = names(r.body());
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            all.addAll(page);
            versions.add((String) meta(r.body()).get("resourceVersion"));
            cont = (String) meta(r.body()).get("continue");
            pages++;
            if (pages == 1) {
                // a change between pages: the list keeps the first page's resourceVersion
                server.put("/api/v1/nodes", Map.of("metadata", Map.of("name", "n9")));
            }
        } while (cont != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n9");
        assertThat(versions).containsOnly(versions.get(0));
        assertThat(names(http.get("/api/v1/nodes").body())).hasSize(8);
        assertThat(meta(http.get("/api/v1/nodes").body())).doesNotContainKey("continue");
        assertThat(server.pagedLists()).isEqualTo(3);
    }

    @Test
    void aTokenOlderThanTheCompactionIs410AndGarbageIs400() {
        Http.Response first = http.get("/api/v1/nodes?limit=2");
        String cont = (String) meta(first.body()).get("continue");
        assertThat(cont).isNotNull();
        server.put("/api/v1/nodes", Map.of("metadata", Map.of("name", "later")));
        server.compact();
        assertThat(http.get("/api/v1/nodes?limit=2&continue=" + cont).status()).isEqualTo(410);
        assertThat(http.get("/api/v1/nodes?limit=2&continue=%21%21").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/nodes?limit=-1").status()).isEqualTo(400);
    }

    private static int send(String url, String method, String path, String ua, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("User-Agent", ua)
                .timeout(Duration.ofSeconds(10));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void writesAreAuditedWithTheLeaseHolderAtArrivalAndFaultsCanTargetOneClient() throws Exception {
        server.auditWritesAgainstLease("wdrf", "leader");
        String lease = "/apis/coordination.k8s.io/v1/namespaces/wdrf/leases";
        assertThat(send(server.url(), "POST", lease, "wdrf/a",
                "{\"metadata\":{\"name\":\"leader\"},\"spec\":{\"holderIdentity\":\"a\"}}")).isEqualTo(201);
        assertThat(send(server.url(), "PATCH", "/api/v1/nodes/n1", "wdrf/a", "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}"))
                .isEqualTo(200);
        assertThat(send(server.url(), "PATCH", "/api/v1/nodes/n2", "wdrf/b", "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}"))
                .isEqualTo(200);
        server.faults().failAlways("*", "/leases", "wdrf/b", 503);
        assertThat(send(server.url(), "GET", lease + "/leader", "wdrf/b", null)).isEqualTo(503);
        assertThat(send(server.url(), "GET", lease + "/leader", "wdrf/a", null)).isEqualTo(200);
        assertThat(send(server.url(), "GET", lease + "/leader", "wdrf/b", null)).as("persistent").isEqualTo(503);
        server.faults().clear();
        assertThat(send(server.url(), "GET", lease + "/leader", "wdrf/b", null)).isEqualTo(200);

        List<FakeKubeApiServer.AuditedWrite> w = server.auditedWrites();
        assertThat(w).hasSize(2).allMatch(FakeKubeApiServer.AuditedWrite::succeeded)
                .allMatch(a -> a.leaseHolderAtArrival().equals("a"));
        assertThat(w).extracting(a -> a.request().userAgent()).containsExactly("wdrf/a", "wdrf/b");
    }
}
