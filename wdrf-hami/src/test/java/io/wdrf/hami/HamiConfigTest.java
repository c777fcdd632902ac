package io.wdrf.hami;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.wdrf.hami.Fx.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HamiConfigTest {

    @Test
    void defaultsMatchHamiChart() {
        HamiConfig c = HamiConfig.defaults();
        assertThat(c.vendor()).isEqualTo(HamiVendor.NVIDIA);
        assertThat(c.fractionResource()).isEqualTo("hami.io/gpu");
        assertThat(c.defaultMemoryMiB()).isZero();
        assertThat(c.defaultCores()).isZero();
        assertThat(c.defaultGpuNum()).isEqualTo(1);
        assertThat(c.memoryFactor()).isEqualTo(1);
        assertThat(c.splitCount()).isEqualTo(10);
        assertThat(c.slotFloor()).isFalse();
        assertThat(c.exclusiveDefaulting()).isTrue();
        assertThat(c.fallbackCardMemoryMiB()).isEqualTo(16384);
        assertThat(HamiConfig.builder(HamiVendor.HYGON_DCU).build().defaultCores()).isEqualTo(100);
        assertThat(HamiConfig.builder(HamiVendor.HYGON_DCU).build().exclusiveDefaulting()).isFalse();
        assertThat(HamiConfig.fromSettings(Map.of())).isEqualTo(c);
    }

    @Test
    void fromSettingsOverridesPresetFields() {
        HamiConfig c = HamiConfig.fromSettings(m("vendor", "hygon", "fractionResource", "hami.io/dcu",
                "coreResource", "hygon.com/dcucores2", "extraResources", "hygon.com/total-dcumem, ,x/y",
                "memoryFactor", "2", "slotFloor", "true", "splitCount", "4", "fallbackCardMemoryMiB", "65536",
                "vendorDefaultCores", "50", "memoryUnitMiB", "256"));
        assertThat(c.vendor().countResource()).isEqualTo("hygon.com/dcunum");
        assertThat(c.vendor().coreResource()).isEqualTo("hygon.com/dcucores2");
        assertThat(c.vendor().extraResources()).containsExactly("hygon.com/total-dcumem", "x/y");
        assertThat(c.vendor().memoryUnitMiB()).isEqualTo(256);
        assertThat(c.defaultCores()).isEqualTo(50);
        assertThat(c.memoryFactor()).isEqualTo(2);
        assertThat(c.slotFloor()).isTrue();
        assertThat(c.splitCount()).isEqualTo(4);
        assertThat(c.fallbackCardMemoryMiB()).isEqualTo(65536);
        assertThat(c.fractionResource()).isEqualTo("hami.io/dcu");
    }

    @Test
    void fromSettingsReportsKeyValueAndReason() {
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("memoryfactor", "2")))
                .hasMessageStartingWith("hami.memoryfactor: unknown setting (known: [allocatedAnnotation,");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("memoryFactor", "two")))
                .hasMessage("hami.memoryFactor: 'two' is not an int32 integer");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("slotFloor", "yes")))
                .hasMessage("hami.slotFloor: 'yes' is not true or false");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("vendor", "amd")))
                .hasMessageStartingWith("hami.vendor: 'amd' is not a preset");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("splitCount", "0")))
                .hasMessage("hami.splitCount: 0 must be >= 1");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("defaultMemoryMiB", "-1")))
                .hasMessage("hami.defaultMemoryMiB: -1 must be >= 0");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("defaultGpuNum", "-1")))
                .hasMessage("hami.defaultGpuNum: -1 must be >= 0");
        assertThatThrownBy(() -> HamiConfig.fromSettings(Map.of("memoryUnitMiB", "0")))
                .hasMessage("hami vendor nvidia: memoryUnitMiB 0 must be >= 1");
    }
}
