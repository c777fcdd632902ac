package io.wdrf.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeKubeApiServerTest {

    private static final String WL = "/apis/kueue.x-k8s.io/v1beta2/namespaces/team-a/workloads";
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private FakeKubeApiServer server;
    private Http http;

    @BeforeEach
    void start() {
        server = FakeKubeApiServer.builder().clock(Clock.fixed(T0, ZoneOffset.UTC))
                .bookmarkInterval(Duration.ofMillis(50)).start();
        http = new Http(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Map<String, Object> workload(String name, Map<String, String> labels, int priority) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", "kueue.x-k8s.io/v1beta2");
        o.put("kind", "Workload");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        meta.put("labels", labels);
        o.put("metadata", meta);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("queueName", "lq");
        spec.put("priority", priority);
        spec.put("podSets", List.of(Map.of("name", "main", "count", 1)));
        o.put("spec", spec);
        return o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Http.Response r) {
        return (List<Map<String, Object>>) r.body().get("items");
    }

    static String rv(Map<String, Object> obj) {
        return Json.str(obj, "metadata", "resourceVersion");
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoveryAdvertisesBothKueueVersionsPreferringV1beta2() {
        assertThat(http.get("/version").body()).containsEntry("major", "1");
        assertThat(http.get("/api").body().get("versions")).isEqualTo(List.of("v1"));
        Map<String, Object> groups = http.get("/apis").body();
        assertThat(groups).containsEntry("kind", "APIGroupList");
        Map<String, Object> kueue = map(((List<?>) groups.get("groups")).get(1));
        assertThat(kueue).containsEntry("name", "kueue.x-k8s.io");
        assertThat(map(kueue.get("preferredVersion"))).containsEntry("version", "v1beta2");
        assertThat((List<?>) kueue.get("versions")).hasSize(2);
        Map<String, Object> resources = http.get("/apis/kueue.x-k8s.io/v1beta1").body();
        assertThat(resources).containsEntry("groupVersion", "kueue.x-k8s.io/v1beta1");
        assertThat((List<?>) resources.get("resources")).anySatisfy(r -> {
            assertThat(map(r)).containsEntry("name", "workloads").containsEntry("namespaced", true)
                    .containsEntry("kind", "Workload");
            assertThat((List<Object>) map(r).get("verbs")).contains("watch", "patch");
        }).anySatisfy(r -> assertThat(map(r)).containsEntry("name", "clusterqueues").containsEntry("namespaced", false));
        assertThat((List<?>) http.get("/api/v1").body().get("resources"))
                .anySatisfy(r -> assertThat(map(r)).containsEntry("name", "nodes").containsEntry("namespaced", false));
        assertThat(http.get("/apis/coordination.k8s.io/v1").status()).isEqualTo(200);
    }

    @Test
    void oldKueueServesOnlyV1beta1() {
        server.serveKueueVersions("v1beta1");
        Map<String, Object> group = http.get("/apis/kueue.x-k8s.io").body();
        assertThat(map(group.get("preferredVersion"))).containsEntry("version", "v1beta1");
        assertThat((List<?>) group.get("versions")).hasSize(1);
        assertThat(http.get("/apis/kueue.x-k8s.io/v1beta2").status()).isEqualTo(404);
        assertThat(http.get(WL).status()).isEqualTo(404);
        assertThat(http.get("/apis/kueue.x-k8s.io/v1beta1/workloads").status()).isEqualTo(200);
        assertThatThrownBy(() -> server.serveKueueVersions("v1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createSetsMetadataAndRejectsDuplicates() {
        Http.Response created = http.post(WL, workload("w1", Map.of(), 5));
        assertThat(created.status()).isEqualTo(201);
        Map<String, Object> meta = map(created.body().get("metadata"));
        assertThat((String) meta.get("uid")).isNotEmpty();
        assertThat(meta).containsEntry("creationTimestamp", "2026-01-02T03:04:05Z").containsEntry("generation", 1)
                .containsEntry("namespace", "team-a").containsEntry("resourceVersion", "1");
        Http.Response dup = http.post(WL, workload("w1", Map.of(), 5));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.body()).containsEntry("kind", "Status").containsEntry("reason", "AlreadyExists")
                .containsEntry("code", 409);
        assertThat(server.resourceVersion()).isEqualTo(1);
        Http.Response missing = http.get(WL + "/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).containsEntry("reason", "NotFound").containsEntry("details",
                Map.of("name", "nope", "group", "kueue.x-k8s.io", "kind", "workloads"));
    }

    @Test
    void listsPerNamespaceAndClusterWideWithSelectors() {
        http.post(WL, workload("w1", Map.of("team", "a", "tier", "gold"), 1));
        http.post(WL, workload("w2", Map.of("team", "a"), 1));
        http.post("/apis/kueue.x-k8s.io/v1beta2/namespaces/team-b/workloads", workload("w3", Map.of("team", "b"), 1));
        Http.Response all = http.get("/apis/kueue.x-k8s.io/v1beta1/workloads");
        assertThat(all.body()).containsEntry("kind", "WorkloadList").containsEntry("apiVersion", "kueue.x-k8s.io/v1beta1");
        assertThat(map(all.body().get("metadata"))).containsEntry("resourceVersion", "3");
        assertThat(items(all)).extracting(o -> Json.str(o, "metadata", "name")).containsExactly("w1", "w2", "w3");
        assertThat(items(all)).allSatisfy(o -> assertThat(o).containsEntry("apiVersion", "kueue.x-k8s.io/v1beta1"));
        assertThat(items(http.get(WL))).hasSize(2);
        assertThat(items(http.get(WL + "?labelSelector=tier%3Dgold"))).hasSize(1);
        assertThat(items(http.get("/apis/kueue.x-k8s.io/v1beta2/workloads?labelSelector=team!%3Db"))).hasSize(2);
        assertThat(items(http.get("/apis/kueue.x-k8s.io/v1beta2/workloads?labelSelector=team%20in%20(a,b),!tier")))
                .extracting(o -> Json.str(o, "metadata", "name")).containsExactly("w2", "w3");
        assertThat(items(http.get("/apis/kueue.x-k8s.io/v1beta2/workloads?fieldSelector=metadata.name%3Dw3")))
                .hasSize(1);
        assertThat(http.get(WL + "?labelSelector=a%20b%20c").status()).isEqualTo(400);
    }

    @Test
    void kueueFieldsAreConvertedBetweenVersions() {
        Map<String, Object> wl = workload("w1", Map.of(), 100);
        map(wl.get("spec")).put("priorityClassRef",
                Map.of("group", "kueue.x-k8s.io", "kind", "WorkloadPriorityClass", "name", "high"));
        server.put(WL, wl);
        Map<String, Object> v1 = http.get("/apis/kueue.x-k8s.io/v1beta1/namespaces/team-a/workloads/w1").body();
        assertThat(map(v1.get("spec"))).containsEntry("priorityClassName", "high")
                .containsEntry("priorityClassSource", "kueue.x-k8s.io/workloadpriorityclass")
                .doesNotContainKey("priorityClassRef");
        server.put("/apis/kueue.x-k8s.io/v1beta1/clusterqueues", Map.of("metadata", Map.of("name", "cq"),
                "spec", Map.of("cohort", "pool")));
        assertThat(map(http.get("/apis/kueue.x-k8s.io/v1beta2/clusterqueues/cq").body().get("spec")))
                .containsEntry("cohortName", "pool").doesNotContainKey("cohort");
    }

    @Test
    void mergePatchFollowsRfc7386() {
        Map<String, Object> wl = workload("w1", Map.of("a", "1", "b", "2"), 5);
        map(wl.get("metadata")).put("annotations", Map.of("keep", "x"));
        http.post(WL, wl);
        Http.Response r = http.mergePatch(WL + "/w1",
                "{\"metadata\":{\"labels\":{\"a\":null,\"c\":\"3\"}},\"spec\":{\"priority\":42,\"podSets\":[{\"name\":\"x\",\"count\":2}]}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(map(map(r.body().get("metadata")).get("labels"))).isEqualTo(Map.of("b", "2", "c", "3"));
        assertThat(map(map(r.body().get("metadata")).get("annotations"))).isEqualTo(Map.of("keep", "x"));
        assertThat(map(r.body().get("spec"))).containsEntry("priority", 42).containsEntry("queueName", "lq")
                .containsEntry("podSets", List.of(Map.of("name", "x", "count", 2)));
        assertThat(map(r.body().get("metadata"))).containsEntry("generation", 2).containsEntry("resourceVersion", "2");
        // metadata-only change: new resourceVersion, same generation
        Http.Response meta = http.mergePatch(WL + "/w1", "{\"metadata\":{\"annotations\":{\"keep\":null}}}");
        assertThat(map(meta.body().get("metadata"))).containsEntry("generation", 2).containsEntry("resourceVersion", "3")
                .containsEntry("annotations", Map.of()); // RFC 7386: removing the last key leaves an empty object
        // no-op patch: nothing bumped
        Http.Response noop = http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":42}}");
        assertThat(rv(noop.body())).isEqualTo("3");
        assertThat(server.resourceVersion()).isEqualTo(3);
        // strategic merge is treated as merge; JSON patch is refused
        assertThat(http.patch(WL + "/w1", "application/strategic-merge-patch+json", "{\"spec\":{\"priority\":7}}")
                .body().get("spec")).isEqualTo(map(Json.mergePatch(map(noop.body().get("spec")), Map.of("priority", 7))));
        assertThat(http.patch(WL + "/w1", "application/apply-patch+yaml", "spec: {}").status()).isEqualTo(415);
        assertThat(http.mergePatch(WL + "/w1", "{not json").status()).isEqualTo(400);
        assertThat(http.mergePatch(WL + "/missing", "{}").status()).isEqualTo(404);
    }

    @Test
    void jsonPatchWithUidTestIsAOneRequestPrecondition() {
        String uid = Json.str(http.post(WL, workload("w1", Map.of("a", "1"), 5)).body(), "metadata", "uid");
        String ops = "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"%s\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/priority\",\"value\":9},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels/b~1c\",\"value\":\"2\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/labels/a\"},"
                + "{\"op\":\"add\",\"path\":\"/spec/podSets/-\",\"value\":{\"name\":\"x\",\"count\":1}},"
                + "{\"op\":\"copy\",\"from\":\"/spec/queueName\",\"path\":\"/spec/copied\"},"
                + "{\"op\":\"move\",\"from\":\"/spec/copied\",\"path\":\"/spec/moved\"}]";
        Http.Response ok = http.patch(WL + "/w1", "application/json-patch+json", String.format(ops, uid));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(map(ok.body().get("spec"))).containsEntry("priority", 9).containsEntry("moved", "lq")
                .doesNotContainKey("copied");
        assertThat((List<?>) map(ok.body().get("spec")).get("podSets")).hasSize(2);
        assertThat(map(map(ok.body().get("metadata")).get("labels"))).isEqualTo(Map.of("b/c", "2"));
        Http.Response stale = http.patch(WL + "/w1", "application/json-patch+json", String.format(ops, "other-uid"));
        assertThat(stale.status()).isEqualTo(422);
        assertThat((String) stale.body().get("message")).contains("test failed");
        assertThat(http.patch(WL + "/w1", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/spec/nothing\"}]").status()).isEqualTo(422);
        assertThat(http.patch(WL + "/w1", "application/json-patch+json", "{}").status()).isEqualTo(400);
        assertThat(Json.at(server.get(WL + "/w1").orElseThrow(), "spec", "priority")).isEqualTo(9);
    }

    @Test
    void rfc7386AppendixExamples() {
        // RFC 7386 appendix A, row by row (target, patch, result)
        Object[][] cases = {
                {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
                {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
                {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
                {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
                {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
                {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
                {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
                {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
                {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
                {"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
                {"{\"a\":\"foo\"}", "null", "null"},
                {"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
                {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
                {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
                {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
        };
        for (Object[] c : cases) {
            Object result = Json.mergePatch(parse((String) c[0]), parse((String) c[1]));
            assertThat(result).as("%s + %s", c[0], c[1]).isEqualTo(parse((String) c[2]));
        }
    }

    private static Object parse(String s) {
        try {
            return Json.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void staleResourceVersionIsAConflict() {
        http.post(WL, workload("w1", Map.of(), 5));
        http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":6}}");
        Http.Response stale = http.mergePatch(WL + "/w1", "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"priority\":7}}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body()).containsEntry("reason", "Conflict");
        assertThat(http.mergePatch(WL + "/w1", "{\"metadata\":{\"resourceVersion\":\"2\"},\"spec\":{\"priority\":7}}")
                .status()).isEqualTo(200);
        Map<String, Object> cur = http.get(WL + "/w1").body();
        Map<String, Object> stalePut = Json.copyMap(cur);
        map(stalePut.get("metadata")).put("resourceVersion", "2");
        assertThat(http.put(WL + "/w1", stalePut).status()).isEqualTo(409);
        map(cur.get("spec")).put("priority", 8);
        Http.Response ok = http.put(WL + "/w1", cur);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(map(ok.body().get("spec"))).containsEntry("priority", 8);
        assertThat(http.put(WL + "/other", cur).status()).isEqualTo(400);
    }

    @Test
    void uidInAWriteActsAsAPrecondition() {
        String uid = Json.str(http.post(WL, workload("w1", Map.of(), 5)).body(), "metadata", "uid");
        Http.Response wrong = http.mergePatch(WL + "/w1", "{\"metadata\":{\"uid\":\"other\"},\"spec\":{\"priority\":1}}");
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.body()).containsEntry("reason", "Invalid");
        assertThat((String) wrong.body().get("message")).contains("metadata.uid");
        Http.Response right = http.mergePatch(WL + "/w1", "{\"metadata\":{\"uid\":\"" + uid + "\"},\"spec\":{\"priority\":1}}");
        assertThat(right.status()).isEqualTo(200);
        Map<String, Object> cur = right.body();
        map(cur.get("metadata")).put("uid", "other");
        Http.Response put = http.put(WL + "/w1", cur);
        assertThat(put.status()).isEqualTo(409);
        assertThat((String) put.body().get("message")).contains("Precondition failed: UID");
    }

    @Test
    void statusSubresourceIsSeparate() {
        Map<String, Object> wl = workload("w1", Map.of(), 5);
        wl.put("status", Map.of("conditions", List.of(Map.of("type", "QuotaReserved", "status", "True"))));
        Http.Response created = http.post(WL, wl);
        assertThat(created.body()).containsKey("status");
        Http.Response main = http.mergePatch(WL + "/w1", "{\"status\":{\"conditions\":[]},\"spec\":{\"priority\":1}}");
        assertThat((List<?>) map(main.body().get("status")).get("conditions")).hasSize(1);
        assertThat(map(main.body().get("spec"))).containsEntry("priority", 1);
        Http.Response st = http.mergePatch(WL + "/w1/status", "{\"status\":{\"conditions\":[]},\"spec\":{\"priority\":2}}");
        assertThat((List<?>) map(st.body().get("status")).get("conditions")).isEmpty();
        assertThat(map(st.body().get("spec"))).containsEntry("priority", 1);
        assertThat(http.get(WL + "/w1/status").status()).isEqualTo(200);
        assertThat(http.get("/apis/kueue.x-k8s.io/v1beta2/resourceflavors/f/status").status()).isEqualTo(404);
    }

    @Test
    void deletePreconditions() {
        String uid = Json.str(http.post(WL, workload("w1", Map.of(), 5)).body(), "metadata", "uid");
        assertThat(http.deleteWithBody(WL + "/w1", Map.of("kind", "DeleteOptions", "preconditions", Map.of("uid", "x")))
                .status()).isEqualTo(409);
        assertThat(http.deleteWithBody(WL + "/w1", Map.of("preconditions", Map.of("resourceVersion", "7")))
                .status()).isEqualTo(409);
        assertThat(http.deleteWithBody(WL + "/w1", Map.of("preconditions", Map.of("uid", uid, "resourceVersion", "1"),
                "propagationPolicy", "Background")).status()).isEqualTo(200);
    }

    @Test
    void deleteReturnsObjectThenNotFound() {
        http.post(WL, workload("w1", Map.of(), 5));
        Http.Response d = http.delete(WL + "/w1");
        assertThat(d.status()).isEqualTo(200);
        assertThat(rv(d.body())).isEqualTo("2");
        assertThat(http.delete(WL + "/w1").status()).isEqualTo(404);
        assertThat(http.get(WL + "/w1").status()).isEqualTo(404);
    }

    @Test
    void coreResourcesAndLeases() {
        assertThat(http.post("/api/v1/nodes", Map.of("metadata", Map.of("name", "n1"))).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/namespaces", Map.of("metadata", Map.of("name", "team-a"))).status()).isEqualTo(201);
        assertThat(http.get("/api/v1/namespaces/team-a").body()).containsEntry("kind", "Namespace");
        assertThat(http.post("/api/v1/namespaces/team-a/pods", Map.of("metadata", Map.of("name", "p"))).status())
                .isEqualTo(201);
        assertThat(http.post("/api/v1/namespaces/team-a/events",
                Map.of("metadata", Map.of("generateName", "w1."), "reason", "PriorityChanged")).status()).isEqualTo(201);
        assertThat(items(http.get("/api/v1/events"))).hasSize(1);
        assertThat(http.post("/apis/coordination.k8s.io/v1/namespaces/wdrf/leases",
                Map.of("metadata", Map.of("name", "leader"), "spec", Map.of("holderIdentity", "me"))).status()).isEqualTo(201);
        assertThat(items(http.get("/api/v1/pods"))).hasSize(1);
        assertThat(items(http.get("/api/v1/namespaces/other/pods"))).isEmpty();
        assertThat(http.get("/api/v1/namespaces/team-a/nodes").status()).isEqualTo(404);
        assertThat(http.get("/apis/apps/v1/deployments").status()).isEqualTo(404);
    }

    @Test
    void watchReplaysHistoryAndStreamsLiveEventsWithBookmarks() throws Exception {
        http.post(WL, workload("w1", Map.of(), 1));
        http.post(WL, workload("w2", Map.of(), 1));
        try (Http.Watch w = http.watch(WL + "?watch=true&resourceVersion=1&allowWatchBookmarks=true")) {
            Map<String, Object> e = w.nextNonBookmark();
            assertThat(e).containsEntry("type", "ADDED");
            assertThat(Json.str(map(e.get("object")), "metadata", "name")).isEqualTo("w2");
            http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":9}}");
            e = w.nextNonBookmark();
            assertThat(e).containsEntry("type", "MODIFIED");
            assertThat(rv(map(e.get("object")))).isEqualTo("3");
            http.delete(WL + "/w2");
            assertThat(w.nextNonBookmark()).containsEntry("type", "DELETED");
            Map<String, Object> b;
            do {
                b = w.next();
            } while (!"BOOKMARK".equals(b.get("type")));
            assertThat(rv(map(b.get("object")))).isEqualTo("4");
        }
    }

    @Test
    void watchWithoutVersionStartsWithCurrentObjectsAndHonoursTimeout() throws Exception {
        http.post(WL, workload("w1", Map.of(), 1));
        try (Http.Watch w = http.watch(WL + "?watch=1&timeoutSeconds=1")) {
            assertThat(w.next()).containsEntry("type", "ADDED");
            assertThat(w.next()).isSameAs(Http.Watch.END); // no bookmarks requested, stream ends at the timeout
        }
    }

    @Test
    void watchListSendsInitialEventsThenAnEndBookmark() throws Exception {
        http.post(WL, workload("w1", Map.of(), 1));
        http.post(WL, workload("w2", Map.of(), 1));
        try (Http.Watch w = http.watch(WL + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                + "&allowWatchBookmarks=true")) {
            assertThat(w.next()).containsEntry("type", "ADDED");
            assertThat(w.next()).containsEntry("type", "ADDED");
            Map<String, Object> end = w.next();
            assertThat(end).containsEntry("type", "BOOKMARK");
            assertThat(map(end.get("object")).get("metadata")).isEqualTo(Map.of("resourceVersion", "2",
                    "annotations", Map.of("k8s.io/initial-events-end", "true")));
            http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":5}}");
            assertThat(w.nextNonBookmark()).containsEntry("type", "MODIFIED");
        }
    }

    @Test
    void watchFollowsSelectorTransitions() throws Exception {
        http.post(WL, workload("w1", Map.of("pick", "yes"), 1));
        try (Http.Watch w = http.watch(WL + "?watch=true&resourceVersion=1&labelSelector=pick%3Dyes")) {
            http.mergePatch(WL + "/w1", "{\"metadata\":{\"labels\":{\"pick\":\"no\"}}}");
            Map<String, Object> e = w.next();
            assertThat(e).containsEntry("type", "DELETED");
            assertThat(rv(map(e.get("object")))).isEqualTo("2");
            http.mergePatch(WL + "/w1", "{\"metadata\":{\"labels\":{\"pick\":\"yes\"}}}");
            assertThat(w.next()).containsEntry("type", "ADDED");
            http.post(WL, workload("other", Map.of(), 1));
            http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":3}}");
            e = w.next();
            assertThat(e).containsEntry("type", "MODIFIED");
            assertThat(Json.str(map(e.get("object")), "metadata", "name")).isEqualTo("w1");
        }
    }

    @Test
    void compactionExpiresOpenAndOldWatches() throws Exception {
        http.post(WL, workload("w1", Map.of(), 1));
        try (Http.Watch w = http.watch(WL + "?watch=true&resourceVersion=1")) {
            awaitWatches(1);
            server.compact();
            Map<String, Object> e = w.next();
            assertThat(e).containsEntry("type", "ERROR");
            assertThat(map(e.get("object"))).containsEntry("kind", "Status").containsEntry("code", 410)
                    .containsEntry("reason", "Expired");
            assertThat(w.next()).isSameAs(Http.Watch.END);
        }
        http.post(WL, workload("w2", Map.of(), 1));
        try (Http.Watch any = http.watch(WL + "?watch=true&resourceVersion=0")) {
            assertThat(any.next()).containsEntry("type", "ADDED"); // "0" = any version: the current state
            assertThat(any.next()).containsEntry("type", "ADDED");
        }
        try (Http.Watch fromCompaction = http.watch(WL + "?watch=true&resourceVersion=1")) {
            // compacted at rv 1: history after rv 1 (w2) is still complete
            Map<String, Object> e = fromCompaction.next();
            assertThat(e).containsEntry("type", "ADDED");
            assertThat(Json.str(map(e.get("object")), "metadata", "name")).isEqualTo("w2");
        }
        server.compact();
        try (Http.Watch tooOld = http.watch(WL + "?watch=true&resourceVersion=1")) {
            assertThat(map(tooOld.next().get("object"))).containsEntry("code", 410);
        }
    }

    @Test
    void historyLimitCompactsOldestEvents() throws Exception {
        try (FakeKubeApiServer small = FakeKubeApiServer.builder().historyLimit(2).start()) {
            Http h = new Http(small.url());
            for (int i = 0; i < 4; i++) {
                h.post(WL, workload("w" + i, Map.of(), 1));
            }
            try (Http.Watch w = h.watch(WL + "?watch=true&resourceVersion=1")) {
                assertThat(map(w.next().get("object"))).containsEntry("code", 410);
            }
            try (Http.Watch w = h.watch(WL + "?watch=true&resourceVersion=2")) {
                assertThat(Json.str(map(w.next().get("object")), "metadata", "name")).isEqualTo("w2");
            }
        }
    }

    @Test
    void injectedFaultsAnswerStatusAndRetryAfterThenRecover() {
        http.post(WL, workload("w1", Map.of(), 1));
        server.faults().failNext("PATCH", "/workloads/w1$", 429, 2).failNext("*", "/workloads", 500, 1);
        Http.Response first = http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":2}}");
        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("Retry-After")).isEqualTo("1");
        assertThat(first.body()).containsEntry("reason", "TooManyRequests");
        assertThat(http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":2}}").status()).isEqualTo(429);
        Http.Response third = http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":2}}");
        assertThat(third.status()).isEqualTo(500);
        assertThat(third.body()).containsEntry("reason", "InternalError");
        assertThat(third.header("Retry-After")).isNull();
        assertThat(server.faults().remainingFailures()).isZero();
        assertThat(http.mergePatch(WL + "/w1", "{\"spec\":{\"priority\":2}}").status()).isEqualTo(200);
        assertThat(server.patchCount("workloads", "team-a", "w1")).isEqualTo(4);
        assertThat(server.patchCount("workloads", "team-a", "other")).isZero();
        List<RecordedRequest> patches = new ArrayList<>();
        server.requests().stream().filter(r -> r.method().equals("PATCH")).forEach(patches::add);
        assertThat(patches).hasSize(4).allSatisfy(r -> {
            assertThat(r.contentType()).isEqualTo("application/merge-patch+json");
            assertThat(r.body()).contains("\"priority\":2");
            assertThat(r.path()).isEqualTo(WL + "/w1");
        });
        server.faults().failNext("GET", "/workloads", 503, 1, 7);
        assertThat(http.get(WL).header("Retry-After")).isEqualTo("7");
        server.clearRequests();
        assertThat(server.requests()).isEmpty();
        assertThatThrownBy(() -> server.faults().failNext("GET", "x", 200, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchOnlyFaultsLeaveListsAlone() {
        server.faults().failNext("WATCH", "/workloads", 410, 1);
        assertThat(http.get(WL).status()).isEqualTo(200);
        Http.Response gone = http.get(WL + "?watch=true&resourceVersion=5");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.body()).containsEntry("reason", "Expired");
        assertThat(server.faults().remainingFailures()).isZero();
    }

    @Test
    void delayedResponsesStillAnswer() {
        server.faults().delay("/nodes", Duration.ofMillis(100));
        long start = System.nanoTime();
        assertThat(http.get("/api/v1/nodes").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        server.faults().clear();
        assertThat(http.get("/api/v1/nodes").status()).isEqualTo(200);
    }

    @Test
    void droppedWatchesEndWithoutEvent() throws Exception {
        try (Http.Watch w = http.watch(WL + "?watch=true&resourceVersion=0")) {
            awaitWatches(1);
            server.faults().dropWatches();
            assertThat(w.next()).isSameAs(Http.Watch.END);
        }
        awaitWatches(0);
    }

    @Test
    void directAccessBypassesRecording() {
        Map<String, Object> stored = server.put("kueue.x-k8s.io", "v1beta1", "workloads", "team-a", workload("w1", Map.of(), 3));
        assertThat(stored).containsEntry("apiVersion", "kueue.x-k8s.io/v1beta1");
        String uid = Json.str(stored, "metadata", "uid");
        Map<String, Object> again = server.put(WL, workload("w1", Map.of("x", "y"), 3));
        assertThat(Json.str(again, "metadata", "uid")).isEqualTo(uid);
        assertThat(rv(again)).isEqualTo("2");
        assertThat(server.get("kueue.x-k8s.io", "v1beta2", "workloads", "team-a", "w1")).isPresent();
        assertThat(server.list("/apis/kueue.x-k8s.io/v1beta2/workloads")).hasSize(1);
        assertThat(server.delete(WL + "/w1")).isTrue();
        assertThat(server.delete(WL + "/w1")).isFalse();
        assertThat(server.get(WL + "/w1")).isEmpty();
        assertThat(server.requests()).isEmpty();
        assertThat(FakeKubeApiServer.path("", "v1", "nodes", null, "n1")).isEqualTo("/api/v1/nodes/n1");
    }

    @Test
    void startsAndStopsQuickly() {
        for (int i = 0; i < 20; i++) {
            try (FakeKubeApiServer s = FakeKubeApiServer.start()) {
                assertThat(new Http(s.url()).get("/version").status()).isEqualTo(200);
            }
        }
    }

    private void awaitWatches(int n) {
        Eventually.await(Duration.ofSeconds(5), "open watches == " + n, () -> server.openWatches() == n);
    }
}
