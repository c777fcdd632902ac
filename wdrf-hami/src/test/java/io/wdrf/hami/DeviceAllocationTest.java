package io.wdrf.hami;

import io.wdrf.hami.DeviceAllocation.ContainerDevice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceAllocationTest {

    @Test
    void twoContainersOnOneCardKeepTrailingEmptyEntry() {
        DeviceAllocation a = DeviceAllocation.decode("GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,NVIDIA,3000,0:;"
                + "GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,NVIDIA,5000,0:;");
        assertThat(a.containers()).hasSize(3);
        assertThat(a.containers().get(0)).containsExactly(
                new ContainerDevice("GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448", "NVIDIA", 3000, 0));
        assertThat(a.containers().get(1)).containsExactly(
                new ContainerDevice("GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448", "NVIDIA", 5000, 0));
        assertThat(a.containers().get(2)).isEmpty();
    }

    @Test
    void initContainerWithoutGpuThenAppWithTwoCards() {
        DeviceAllocation a = DeviceAllocation.decode(";GPU-a,NVIDIA,1000,30:GPU-b,NVIDIA,1000,30:;");
        assertThat(a.containers()).hasSize(3);
        assertThat(a.containers().get(0)).isEmpty();
        assertThat(a.containers().get(1)).extracting(ContainerDevice::uuid).containsExactly("GPU-a", "GPU-b");
        assertThat(a.containers().get(1)).allSatisfy(d -> {
            assertThat(d.usedMemMiB()).isEqualTo(1000);
            assertThat(d.usedCores()).isEqualTo(30);
        });
        // drained to-allocate style value: only empty entries
        assertThat(DeviceAllocation.decode(";;").containers()).hasSize(3).allSatisfy(c -> assertThat(c).isEmpty());
        assertThat(DeviceAllocation.decode("").containers()).containsExactly(List.of());
        // extra fields after USEDCORES are ignored
        assertThat(DeviceAllocation.decode("u,NVIDIA,1,2,extra:;").containers().get(0))
                .containsExactly(new ContainerDevice("u", "NVIDIA", 1, 2));
    }

    @Test
    void malformedValuesAreReportedPrecisely() {
        assertThatThrownBy(() -> DeviceAllocation.decode("GPU-a,NVIDIA,1000:;"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("container entry 0, device 0 'GPU-a,NVIDIA,1000': has 3 fields, expected UUID,TYPE,USEDMEM,USEDCORES");
        assertThatThrownBy(() -> DeviceAllocation.decode(";GPU-a,NVIDIA,1000,0:GPU-b,NVIDIA,1Gi,0:;"))
                .hasMessage("container entry 1, device 1 'GPU-b,NVIDIA,1Gi,0': USEDMEM '1Gi' is not an int32 integer");
        assertThatThrownBy(() -> DeviceAllocation.decode("GPU-a,NVIDIA,10,-5:;"))
                .hasMessage("container entry 0, device 0 'GPU-a,NVIDIA,10,-5': USEDCORES -5 must not be negative");
        assertThatThrownBy(() -> DeviceAllocation.decode("garbage;"))
                .hasMessageContaining("malformed device");
        assertThatThrownBy(() -> DeviceAllocation.decode(",NVIDIA,1,1:"))
                .hasMessageEndingWith("empty UUID");
    }
}
