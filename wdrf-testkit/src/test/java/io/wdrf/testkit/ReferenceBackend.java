package io.wdrf.testkit;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deliberately simple backend used to validate the kits: the view lists and watches every resource over plain HTTP
 * (relisting after 410) and projects all objects into records on every change; the writer sends one merge patch per update with the uid as a
 * precondition and retries 409/429/5xx. Switches let tests break it on purpose.
 */
final class ReferenceBackend {

    /** Ways to break the backend, to show that kit tests fail. */
    enum Flaw { NONE, DROP_ANNOTATIONS, FREEZE_AFTER_FIRST_LIST, FAIL_WHOLE_SNAPSHOT_ON_BAD_OBJECT, GET_BEFORE_PATCH,
        NOT_FOUND_IS_FAILED, NO_RETRIES, IGNORE_UID,
        /** Applies deletions late and by name only, so a quick re-create is lost (a real bug class). */
        LATE_DELETE_BY_NAME }

    private final Http http;
    private final Flaw flaw;
    private volatile String version;

    ReferenceBackend(String url, Flaw flaw) {
        this.http = new Http(url);
        this.flaw = flaw;
    }

    private String kueueVersion() {
        if (version == null) {
            Map<String, Object> group = http.get("/apis/kueue.x-k8s.io").body();
            version = Json.str(group, "preferredVersion", "version");
        }
        return version;
    }

    private String kueue(String plural) {
        return "/apis/kueue.x-k8s.io/" + kueueVersion() + "/" + plural;
    }

    // ------------------------------------------------------------------------------------------ view

    View view() {
        return new View();
    }

    final class View implements ClusterView {
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private final List<String> paths = List.of(kueue("workloads"), "/api/v1/nodes", "/api/v1/pods",
                kueue("clusterqueues"), kueue("localqueues"), kueue("resourceflavors"), "/api/v1/namespaces");
        private final Map<String, Map<String, Map<String, Object>>> items = new LinkedHashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile ClusterSnapshot snapshot = ClusterSnapshot.builder(Instant.EPOCH).build();
        private volatile boolean closed;
        private int syncedCount;

        View() {
            for (String path : paths) {
                items.put(path, new TreeMap<>());
                Thread t = new Thread(() -> listAndWatch(path), "reference-view " + path);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** List, then watch from the list's resourceVersion; relist after 410, re-watch after a plain end. */
        private void listAndWatch(String path) {
            boolean synced = false;
            while (!closed) {
                try {
                    Http.Response list = http.get(path);
                    if (list.status() != 200) {
                        throw new IllegalStateException(path + " answered " + list.status());
                    }
                    String rv = Json.str(list.body(), "metadata", "resourceVersion");
                    Map<String, Map<String, Object>> fresh = new TreeMap<>();
                    items(list.body()).forEach(o -> fresh.put(key(o), o));
                    synchronized (this) {
                        if (!synced || flaw != Flaw.FREEZE_AFTER_FIRST_LIST) {
                            items.put(path, fresh);
                        }
                        if (!synced) {
                            synced = true;
                            syncedCount++;
                        }
                    }
                    changed();
                    boolean expired = false;
                    while (!closed && !expired) {
                        try (java.util.stream.Stream<String> lines = http.watchLines(path
                                + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=30&resourceVersion=" + rv)) {
                            java.util.Iterator<String> it = lines.iterator();
                            while (!closed && it.hasNext()) {
                                Map<String, Object> e = Http.parse(it.next());
                                Map<String, Object> o = map(e.get("object"));
                                String type = String.valueOf(e.get("type"));
                                if (type.equals("ERROR")) {
                                    expired = true;
                                    break;
                                }
                                rv = Json.str(o, "metadata", "resourceVersion");
                                if (type.equals("BOOKMARK") || flaw == Flaw.FREEZE_AFTER_FIRST_LIST) {
                                    continue;
                                }
                                if (type.equals("DELETED") && flaw == Flaw.LATE_DELETE_BY_NAME) {
                                    Thread late = new Thread(() -> {
                                        sleepQuietly();
                                        synchronized (this) {
                                            items.get(path).remove(key(o));
                                        }
                                        changed();
                                    });
                                    late.setDaemon(true);
                                    late.start();
                                    continue;
                                }
                                synchronized (this) {
                                    if (type.equals("DELETED")) {
                                        items.get(path).remove(key(o));
                                    } else {
                                        items.get(path).put(key(o), o);
                                    }
                                }
                                changed();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    sleepQuietly();
                }
            }
        }

        private void sleepQuietly() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }

        private String key(Map<String, Object> o) {
            return Json.str(o, "metadata", "namespace") + "/" + Json.str(o, "metadata", "name");
        }

        private void changed() {
            synchronized (this) {
                Map<String, List<Map<String, Object>>> lists = new LinkedHashMap<>();
                items.forEach((p, m) -> lists.put(p, new ArrayList<>(m.values())));
                try {
                    snapshot = project(lists);
                } catch (RuntimeException e) {
                    return; // FAIL_WHOLE_SNAPSHOT_ON_BAD_OBJECT: keep serving the old snapshot
                }
            }
            if (!closed) {
                listeners.forEach(Runnable::run);
            }
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> items(Map<String, Object> list) {
            return (List<Map<String, Object>>) list.get("items");
        }

        private ClusterSnapshot project(Map<String, List<Map<String, Object>>> lists) {
            ClusterSnapshot.Builder b = ClusterSnapshot.builder(Instant.now());
            for (Map<String, Object> o : lists.get(kueue("workloads"))) {
                try {
                    b.workload(workload(o));
                } catch (RuntimeException e) {
                    if (flaw == Flaw.FAIL_WHOLE_SNAPSHOT_ON_BAD_OBJECT) {
                        throw e;
                    }
                    b.invalid(new InvalidObject("Workload", Json.str(o, "metadata", "namespace"),
                            Json.str(o, "metadata", "name"), e.getMessage()));
                }
            }
            for (Map<String, Object> o : lists.get(kueue("clusterqueues"))) {
                try {
                    b.clusterQueue(clusterQueue(o));
                } catch (RuntimeException e) {
                    b.invalid(new InvalidObject("ClusterQueue", "", Json.str(o, "metadata", "name"), e.getMessage()));
                }
            }
            for (Map<String, Object> o : lists.get("/api/v1/nodes")) {
                Object allocatable = Json.at(o, "status", "allocatable");
                if (allocatable != null && !(allocatable instanceof Map<?, ?>)) {
                    b.invalid(new InvalidObject("Node", "", Json.str(o, "metadata", "name"),
                            "status.allocatable: expected a map of quantities, got '" + allocatable + "'"));
                    continue;
                }
                b.node(new Node(Json.str(o, "metadata", "name"), strings(o, "metadata", "labels"),
                        strings(o, "metadata", "annotations"), strings(o, "status", "allocatable"),
                        conditionTrue(o, "Ready"), Boolean.TRUE.equals(Json.at(o, "spec", "unschedulable"))));
            }
            lists.get("/api/v1/pods").forEach(o -> b.pod(new PodInfo(Json.str(o, "metadata", "namespace"),
                    Json.str(o, "metadata", "name"), Json.str(o, "metadata", "uid"), Json.str(o, "spec", "nodeName"),
                    Json.str(o, "status", "phase"), strings(o, "metadata", "labels"), strings(o, "metadata", "annotations"),
                    Json.at(o, "spec", "initContainers") instanceof List<?> ic ? ic.size() : 0)));
            lists.get(kueue("localqueues")).forEach(o -> b.localQueue(new LocalQueueInfo(Json.str(o, "metadata", "namespace"),
                    Json.str(o, "metadata", "name"), Json.str(o, "spec", "clusterQueue"))));
            lists.get(kueue("resourceflavors")).forEach(o -> b.flavor(new ResourceFlavorInfo(
                    Json.str(o, "metadata", "name"), strings(o, "spec", "nodeLabels"))));
            lists.get("/api/v1/namespaces").forEach(o -> b.namespace(new NamespaceInfo(Json.str(o, "metadata", "name"),
                    strings(o, "metadata", "labels"), strings(o, "metadata", "annotations"))));
            return b.build();
        }

        @Override
        public ClusterSnapshot snapshot() {
            return snapshot;
        }

        @Override
        public AutoCloseable addChangeListener(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override
        public synchronized boolean hasSynced() {
            return syncedCount == paths.size();
        }

        @Override
        public void close() {
            closed = true;
            threads.forEach(Thread::interrupt);
        }
    }

    private Workload workload(Map<String, Object> o) {
        Map<String, String> annotations = flaw == Flaw.DROP_ANNOTATIONS ? Map.of() : strings(o, "metadata", "annotations");
        Workload.Builder b = Workload.builder(Json.str(o, "metadata", "namespace"), Json.str(o, "metadata", "name"),
                        Instant.parse(Json.str(o, "metadata", "creationTimestamp")))
                .uid(Json.str(o, "metadata", "uid")).resourceVersion(Json.str(o, "metadata", "resourceVersion"))
                .queueName(Json.str(o, "spec", "queueName")).labels(strings(o, "metadata", "labels"))
                .annotations(annotations).active(!Boolean.FALSE.equals(Json.at(o, "spec", "active")));
        Object priority = Json.at(o, "spec", "priority");
        if (priority != null && !(priority instanceof Integer)) {
            throw new IllegalArgumentException("spec.priority: expected an int32, got '" + priority + "'");
        }
        b.priority((Integer) priority);
        String boost = annotations.get(Workload.PRIORITY_BOOST);
        b.priorityBoost(boost == null ? null : Integer.valueOf(boost));
        String pc = Json.str(o, "spec", "priorityClassRef", "name");
        b.priorityClassName(pc.isEmpty() ? (Json.str(o, "spec", "priorityClassName").isEmpty() ? null
                : Json.str(o, "spec", "priorityClassName")) : pc);
        Object podSets = Json.at(o, "spec", "podSets");
        if (!(podSets instanceof List<?> list)) {
            throw new IllegalArgumentException("spec.podSets: expected a list, got " + (podSets == null ? "nothing" : podSets));
        }
        for (int i = 0; i < list.size(); i++) {
            b.addPodSet(podSet("spec.podSets[" + i + "]", map(list.get(i))));
        }
        if (Json.at(o, "status", "conditions") instanceof List<?> conds) {
            for (Object c : conds) {
                if ("True".equals(map(c).get("status"))) {
                    b.condition(String.valueOf(map(c).get("type")), true);
                }
            }
        }
        if (Json.at(o, "status", "admission") instanceof Map<?, ?> adm) {
            List<PodSetAssignment> psa = new ArrayList<>();
            for (Object x : (List<?>) adm.get("podSetAssignments")) {
                Map<String, Object> a = map(x);
                Map<String, Double> usage = new TreeMap<>();
                map(a.get("resourceUsage")).forEach((k, v) -> usage.put(k, Quantity.parseDouble((String) v)));
                psa.add(new PodSetAssignment((String) a.get("name"), strings(a, "flavors"), ResourceVector.of(usage),
                        ((Number) a.get("count")).intValue()));
            }
            b.admission(new Admission((String) adm.get("clusterQueue"), psa));
        }
        return b.build();
    }

    private static PodSet podSet(String where, Map<String, Object> ps) {
        List<ContainerSpec> containers = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            if (Json.at(ps, "template", "spec", field) instanceof List<?> cs) {
                for (int i = 0; i < cs.size(); i++) {
                    Map<String, Object> c = map(cs.get(i));
                    ContainerKind kind = field.equals("containers") ? ContainerKind.APP
                            : "Always".equals(c.get("restartPolicy")) ? ContainerKind.SIDECAR : ContainerKind.INIT;
                    String at = where + ".template.spec." + field + "[" + i + "].resources.";
                    containers.add(new ContainerSpec((String) c.get("name"), kind,
                            quantities(at + "requests", strings(c, "resources", "requests")),
                            quantities(at + "limits", strings(c, "resources", "limits"))));
                }
            }
        }
        if (!(ps.get("count") instanceof Integer)) {
            throw new IllegalArgumentException(where + ".count: expected an integer, got '" + ps.get("count") + "'");
        }
        Object minCount = ps.get("minCount");
        return new PodSet((String) ps.get("name"), ((Number) ps.get("count")).intValue(),
                minCount == null ? null : ((Number) minCount).intValue(), containers,
                strings(ps, "template", "spec", "overhead"), strings(ps, "template", "spec", "nodeSelector"),
                strings(ps, "template", "metadata", "annotations"));
    }

    private static Map<String, String> quantities(String where, Map<String, String> q) {
        q.forEach((k, v) -> {
            try {
                Quantity.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "." + k + ": " + e.getMessage(), e);
            }
        });
        return q;
    }

    private ClusterQueueInfo clusterQueue(Map<String, Object> o) {
        List<ResourceQuota> quotas = new ArrayList<>();
        List<?> groups = Json.at(o, "spec", "resourceGroups") instanceof List<?> l ? l : List.of();
        for (int g = 0; g < groups.size(); g++) {
            List<?> flavors = (List<?>) map(groups.get(g)).get("flavors");
            for (int f = 0; f < flavors.size(); f++) {
                Map<String, Object> fl = map(flavors.get(f));
                List<?> rs = (List<?>) fl.get("resources");
                for (int r = 0; r < rs.size(); r++) {
                    Map<String, Object> res = map(rs.get(r));
                    String at = "spec.resourceGroups[" + g + "].flavors[" + f + "].resources[" + r + "].";
                    quotas.add(new ResourceQuota((String) fl.get("name"), (String) res.get("name"),
                            parse(at + "nominalQuota", res.get("nominalQuota")),
                            res.containsKey("borrowingLimit") ? parse(at + "borrowingLimit", res.get("borrowingLimit")) : null,
                            res.containsKey("lendingLimit") ? parse(at + "lendingLimit", res.get("lendingLimit")) : null));
                }
            }
        }
        String cohort = Json.str(o, "spec", "cohortName").isEmpty() ? Json.str(o, "spec", "cohort")
                : Json.str(o, "spec", "cohortName");
        String weight = Json.str(o, "spec", "fairSharing", "weight");
        return new ClusterQueueInfo(Json.str(o, "metadata", "name"), cohort.isEmpty() ? null : cohort, quotas,
                Json.str(o, "spec", "queueingStrategy"), Json.str(o, "spec", "preemption", "withinClusterQueue"),
                Json.str(o, "spec", "preemption", "reclaimWithinCohort"),
                Json.str(o, "spec", "preemption", "borrowWithinCohort", "policy"),
                weight.isEmpty() ? 1.0 : Quantity.parseDouble(weight));
    }

    private static java.math.BigDecimal parse(String where, Object v) {
        try {
            return Quantity.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static boolean conditionTrue(Map<String, Object> o, String type) {
        if (Json.at(o, "status", "conditions") instanceof List<?> conds) {
            return conds.stream().anyMatch(c -> type.equals(map(c).get("type")) && "True".equals(map(c).get("status")));
        }
        return false;
    }

    private static Map<String, String> strings(Map<String, Object> o, String... path) {
        Map<String, String> out = new TreeMap<>();
        if (Json.at(o, path) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected an object, got " + o);
        }
        return (Map<String, Object>) o;
    }

    // ------------------------------------------------------------------------------------------ writer

    PriorityWriter writer() {
        return new PriorityWriter() {
            @Override
            public WriteResult apply(List<PriorityUpdate> updates) {
                List<WriteResult.Item> items = new ArrayList<>();
                for (PriorityUpdate u : updates) {
                    items.add(write(u));
                }
                return new WriteResult(items);
            }

            @Override
            public void recordEvent(io.wdrf.api.WorkloadId id, String reason, String message) {
                http.post("/api/v1/namespaces/" + id.namespace() + "/events", Map.of(
                        "metadata", Map.of("generateName", id.name() + "."),
                        "involvedObject", Map.of("apiVersion", "kueue.x-k8s.io/" + kueueVersion(), "kind", "Workload",
                                "namespace", id.namespace(), "name", id.name()),
                        "reason", reason, "message", message, "type", "Normal"));
            }
        };
    }

    private WriteResult.Item write(PriorityUpdate u) {
        String path = "/apis/kueue.x-k8s.io/" + kueueVersion() + "/namespaces/" + u.workloadId().namespace() + "/workloads/"
                + u.workloadId().name();
        Map<String, Object> meta = new LinkedHashMap<>();
        if (!u.uid().isEmpty() && flaw != Flaw.IGNORE_UID) {
            meta.put("uid", u.uid());
        }
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (u.explanation() != null) {
            annotations.put(PriorityUpdate.EXPLANATION_ANNOTATION, u.explanation());
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        if (u.target() == PriorityTarget.SPEC_PRIORITY) {
            patch.put("spec", Map.of("priority", u.value()));
        } else {
            annotations.put(Workload.PRIORITY_BOOST, Integer.toString(u.value()));
        }
        if (!annotations.isEmpty()) {
            meta.put("annotations", annotations);
        }
        if (!meta.isEmpty()) {
            patch.put("metadata", meta);
        }
        int maxAttempts = flaw == Flaw.NO_RETRIES ? 1 : 6;
        for (int attempt = 1; ; attempt++) {
            if (flaw == Flaw.GET_BEFORE_PATCH) {
                http.get(path);
            }
            Http.Response r = http.mergePatch(path, Json.writeString(patch));
            int code = r.status();
            String message = String.valueOf(r.body().get("message"));
            if (code == 200) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.WRITTEN, attempt, "");
            }
            if ((code == 404 && flaw != Flaw.NOT_FOUND_IS_FAILED) || (code == 422 && message.contains("metadata.uid"))) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.GONE, attempt, message);
            }
            boolean retryable = code == 409 || code == 429 || code >= 500;
            if (!retryable || attempt >= maxAttempts) {
                return new WriteResult.Item(u.workloadId(), WriteOutcome.FAILED, attempt, code + " " + message);
            }
            String retryAfter = r.header("Retry-After");
            long sleep = retryAfter != null ? Math.min(Long.parseLong(retryAfter) * 1000, 2000) : 20L * attempt;
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WriteResult.Item(u.workloadId(), WriteOutcome.FAILED, attempt, "interrupted");
            }
        }
    }
}
