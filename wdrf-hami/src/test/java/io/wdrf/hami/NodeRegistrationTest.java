package io.wdrf.hami;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeRegistrationTest {

    private static final String JSON_EXAMPLE = "[{\"id\":\"GPU-00552014-5c87-89ac-b1a6-7b53aa24b0ec\",\"count\":10,"
            + "\"devmem\":32768,\"devcore\":100,\"type\":\"NVIDIA-Tesla V100-PCIE-32GB\",\"numa\":1,\"mode\":\"hami-core\","
            + "\"health\":true},{\"id\":\"GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448\",\"index\":1,\"count\":10,"
            + "\"devmem\":32768,\"devcore\":100,\"type\":\"NVIDIA-Tesla V100-PCIE-32GB\",\"numa\":1,\"mode\":\"hami-core\","
            + "\"health\":true}]";

    private static final String LEGACY7 = "GPU-00552014-5c87-89ac-b1a6-7b53aa24b0ec,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:"
            + "GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:";

    @Test
    void decodesJsonExampleWithOmittedIndex() {
        NodeRegistration r = NodeRegistration.decode(JSON_EXAMPLE);
        assertThat(r.encoding()).isEqualTo(NodeRegistration.Encoding.JSON);
        assertThat(r.devices()).hasSize(2);
        NodeRegistration.Device d0 = r.devices().get(0);
        assertThat(d0.id()).isEqualTo("GPU-00552014-5c87-89ac-b1a6-7b53aa24b0ec");
        assertThat(d0.index()).isZero();
        assertThat(d0.count()).isEqualTo(10);
        assertThat(d0.memoryMiB()).isEqualTo(32768);
        assertThat(d0.cores()).isEqualTo(100);
        assertThat(d0.numa()).isEqualTo(1);
        assertThat(d0.mode()).isEqualTo("hami-core");
        assertThat(d0.healthy()).isTrue();
        assertThat(r.devices().get(1).index()).isEqualTo(1);
        assertThat(r.healthyCards()).isEqualTo(2);
        assertThat(r.healthyMemoryMiB()).isEqualTo(65536);
    }

    @Test
    void jsonOmittedZeroFieldsReadAsZeroAndMissingHealthIsUnhealthy() {
        NodeRegistration r = NodeRegistration.decode("[{\"id\":\"a\",\"devmem\":16384},{\"id\":\"b\",\"devmem\":8192,\"health\":true}]");
        NodeRegistration.Device a = r.devices().get(0);
        assertThat(a.index()).isZero();
        assertThat(a.count()).isZero();
        assertThat(a.cores()).isZero();
        assertThat(a.numa()).isZero();
        assertThat(a.type()).isEmpty();
        assertThat(a.mode()).isEmpty();
        assertThat(a.healthy()).isFalse();
        // only the healthy card counts, and its memory
        assertThat(r.healthyCards()).isEqualTo(1);
        assertThat(r.healthyMemoryMiB()).isEqualTo(8192);
        assertThat(r.minHealthyMemoryMiB()).isEqualTo(8192);
    }

    @Test
    void jsonNullsUnknownMembersCaseInsensitiveNamesAndEmptyArray() {
        NodeRegistration r = NodeRegistration.decode(" [{\"ID\":\"x\",\"DevMem\":4096,\"numa\":null,\"health\":true,"
                + "\"migProfiles\":[{\"name\":\"1g.5gb\",\"memoryMB\":5120,\"placements\":[{\"start\":0,\"size\":1}]}],"
                + "\"future\":{\"a\":[1,2.5e3,\"s\\u0041\"]}}] ");
        assertThat(r.devices()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo("x");
            assertThat(d.memoryMiB()).isEqualTo(4096);
            assertThat(d.numa()).isZero();
            assertThat(d.healthy()).isTrue();
        });
        assertThat(NodeRegistration.decode("[]").devices()).isEmpty();
        assertThat(NodeRegistration.decode("[]").healthyCards()).isZero();
    }

    @Test
    void jsonMalformedValuesAreReportedPrecisely() {
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"devmem\":\"16Gi\",\"health\":true}]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device [0] 'a': devmem \"16Gi\" is not a number");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"devmem\":1.5}]"))
                .hasMessage("device [0] 'a': devmem 1.5 is not an integer in int32 range");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"count\":3000000000}]"))
                .hasMessage("device [0] 'a': count 3000000000 is not an integer in int32 range");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"health\":\"true\"}]"))
                .hasMessage("device [0] 'a': health \"true\" is not a boolean");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":7}]"))
                .hasMessage("device [0]: id 7 is not a string");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"devmem\":-1}]"))
                .hasMessage("device [0] 'a': devmem -1 must not be negative");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"index\":-2}]"))
                .hasMessage("device [0] 'a': index -2 must not be negative");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\"}, 5]"))
                .hasMessage("device [1]: expected a JSON object but found 5");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",\"devmem\":16384"))
                .hasMessage("invalid JSON at offset 25: unexpected end of input, expected ',' or '}'");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\"}] x"))
                .hasMessageContaining("unexpected trailing content");
        assertThatThrownBy(() -> NodeRegistration.decode("[{\"id\":\"a\",}]"))
                .hasMessageContaining("expected a quoted member name");
    }

    @Test
    void decodesLegacySevenFieldForm() {
        NodeRegistration r = NodeRegistration.decode(LEGACY7);
        assertThat(r.encoding()).isEqualTo(NodeRegistration.Encoding.LEGACY);
        assertThat(r.devices()).hasSize(2);
        assertThat(r.devices()).allSatisfy(d -> {
            assertThat(d.index()).isZero();
            assertThat(d.mode()).isEqualTo("hami-core");
            assertThat(d.count()).isEqualTo(10);
            assertThat(d.memoryMiB()).isEqualTo(32768);
            assertThat(d.type()).isEqualTo("NVIDIA-Tesla V100-PCIE-32GB");
        });
        assertThat(r.healthyCards()).isEqualTo(2);
    }

    @Test
    void decodesLegacyNineFieldFormWithUnhealthyCard() {
        NodeRegistration r = NodeRegistration.decode(
                "GPU-a,10,24576,100,NVIDIA-A10,0,true,0,hami-core:GPU-b,10,24576,100,NVIDIA-A10,1,false,1,mig::");
        assertThat(r.devices()).hasSize(2);
        assertThat(r.devices().get(1).index()).isEqualTo(1);
        assertThat(r.devices().get(1).mode()).isEqualTo("mig");
        assertThat(r.devices().get(1).numa()).isEqualTo(1);
        assertThat(r.devices().get(1).healthy()).isFalse();
        assertThat(r.healthyCards()).isEqualTo(1);
        assertThat(r.healthyMemoryMiB()).isEqualTo(24576);
        // Go ParseBool spellings
        assertThat(NodeRegistration.decode("u,1,1,100,t,0,T:").devices().get(0).healthy()).isTrue();
        assertThat(NodeRegistration.decode("u,1,1,100,t,0,0:").devices().get(0).healthy()).isFalse();
    }

    @Test
    void legacyMalformedValuesAreReportedPrecisely() {
        assertThatThrownBy(() -> NodeRegistration.decode("GPU-a,10,32768,100,T,0,true"))
                .hasMessageContaining("missing device separator ':'");
        assertThatThrownBy(() -> NodeRegistration.decode("GPU-a:"))
                .hasMessage("device 0 'GPU-a': malformed segment (no ',' separated fields)");
        assertThatThrownBy(() -> NodeRegistration.decode("GPU-a,10,32768,100,T,0,true,1:"))
                .hasMessage("device 0 'GPU-a,10,32768,100,T,0,true,1': has 8 fields, expected 7 "
                        + "(uuid,count,devmem,devcore,type,numa,health) or 9 (+index,mode)");
        assertThatThrownBy(() -> NodeRegistration.decode("ok,1,1,100,t,0,true:GPU-b,10,32Gi,100,T,0,true:"))
                .hasMessage("device 1 'GPU-b,10,32Gi,100,T,0,true': devmem '32Gi' is not an int32 integer");
        assertThatThrownBy(() -> NodeRegistration.decode("GPU-a,10,32768,100,T,0,yes:"))
                .hasMessage("device 0 'GPU-a,10,32768,100,T,0,yes': health 'yes' is not a boolean");
        assertThatThrownBy(() -> NodeRegistration.decode("GPU-a,10,32768,100,T,0,true,-1,hami-core:"))
                .hasMessageEndingWith("index -1 must not be negative");
        assertThatThrownBy(() -> NodeRegistration.decode("GPU-a,-10,32768,100,T,0,true:"))
                .hasMessageEndingWith("count -10 must not be negative");
        assertThatThrownBy(() -> NodeRegistration.decode(",10,32768,100,T,0,true:"))
                .hasMessageEndingWith("empty uuid");
    }

    @Test
    void randomDevicesRoundTripThroughAllThreeEncodings() {
        Random rnd = new Random(42);
        for (int iter = 0; iter < 300; iter++) {
            int n = rnd.nextInt(6);
            List<NodeRegistration.Device> devs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                devs.add(new NodeRegistration.Device("GPU-" + iter + "-" + i, rnd.nextInt(3) == 0 ? 0 : i,
                        rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(20), rnd.nextInt(4) == 0 ? 0 : 1024 * (1 + rnd.nextInt(80)),
                        rnd.nextBoolean() ? 100 : 200, "NVIDIA-Model " + rnd.nextInt(5), rnd.nextInt(2),
                        rnd.nextBoolean() ? "hami-core" : "mig", rnd.nextBoolean()));
            }
            // JSON as MarshalNodeDevices writes it: zero values omitted
            StringBuilder json = new StringBuilder("[");
            StringBuilder l9 = new StringBuilder();
            StringBuilder l7 = new StringBuilder();
            for (int i = 0; i < n; i++) {
                NodeRegistration.Device d = devs.get(i);
                List<String> f = new ArrayList<>();
                f.add("\"id\":\"" + d.id() + "\"");
                if (d.index() != 0) f.add("\"index\":" + d.index());
                if (d.count() != 0) f.add("\"count\":" + d.count());
                if (d.memoryMiB() != 0) f.add("\"devmem\":" + d.memoryMiB());
                f.add("\"devcore\":" + d.cores());
                f.add("\"type\":\"" + d.type() + "\"");
                if (d.numa() != 0) f.add("\"numa\":" + d.numa());
                f.add("\"mode\":\"" + d.mode() + "\"");
                if (d.healthy()) f.add("\"health\":true");
                json.append(i == 0 ? "" : ",").append('{').append(String.join(",", f)).append('}');
                String seven = d.id() + "," + d.count() + "," + d.memoryMiB() + "," + d.cores() + "," + d.type() + ","
                        + d.numa() + "," + d.healthy();
                l9.append(seven).append(',').append(d.index()).append(',').append(d.mode()).append(':');
                l7.append(seven).append(':');
            }
            json.append(']');
            assertThat(NodeRegistration.decode(json.toString()).devices()).isEqualTo(devs);
            if (n > 0) {
                assertThat(NodeRegistration.decode(l9.toString()).devices()).isEqualTo(devs);
                List<NodeRegistration.Device> seven = NodeRegistration.decode(l7.toString()).devices();
                assertThat(seven).hasSize(n);
                for (int i = 0; i < n; i++) {
                    NodeRegistration.Device d = devs.get(i);
                    assertThat(seven.get(i)).isEqualTo(new NodeRegistration.Device(d.id(), 0, d.count(), d.memoryMiB(),
                            d.cores(), d.type(), d.numa(), "hami-core", d.healthy()));
                }
            }
            long healthy = devs.stream().filter(NodeRegistration.Device::healthy).count();
            assertThat(NodeRegistration.decode(json.toString()).healthyCards()).isEqualTo(healthy);
        }
    }

    /** Issue 13.3: a count of 1e999999999 once built a ~1 GB error message on every start. */
    @Test
    void hugeExponentsAndLongStringsAreRejectedWithShortMessages() {
        for (String bad : List.of("[{\"id\":\"GPU-0\",\"count\":1e999999999}]",
                "[{\"id\":\"GPU-0\",\"count\":1e-999999999}]",
                "[{\"id\":\"GPU-0\",\"count\":1" + "0".repeat(5000) + "}]",
                "[{\"id\":\"" + "x\\r".repeat(5000) + "\",\"count\":1e30}]",
                "[{\"id\":\"GPU-0\",\"count\":1e30}]")) {
            assertThatThrownBy(() -> NodeRegistration.decode(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\r"));
        }
        assertThat(NodeRegistration.decode("[{\"id\":\"GPU-0\",\"count\":1e1,\"health\":true}]").devices())
                .singleElement().satisfies(d -> assertThat(d.count()).isEqualTo(10));
    }
}
