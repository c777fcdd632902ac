package io.wdrf.hami;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What HAMi booked for a pod, decoded from its allocation annotation (NVIDIA
 * {@code hami.io/vgpu-devices-allocated}).
 *
 * <p>Grammar: the value is split on {@code ;} into one entry per container, <b>init containers first, then app
 * containers</b>; empty entries are kept (a container without devices, and the empty entry after the trailing
 * {@code ;}). Each entry is split on {@code :}, empty parts are skipped, and each part is one device
 * {@code UUID,TYPE,USEDMEM,USEDCORES} (extra fields ignored). {@code USEDMEM} is the resolved MiB HAMi booked on
 * that card (percentages and memory factor already applied); {@code USEDCORES} the booked compute percentage.
 *
 * <p>Stricter than HAMi (which silently reads unparsable numbers as 0 and skips comma-less parts): a device with
 * fewer than 4 fields, a non-integer or negative memory/cores value, or a non-empty part without commas is an
 * {@link IllegalArgumentException} naming the container entry, the device and the value.
 *
 * @param containers per container entry (init first), the devices booked for it
 */
public record DeviceAllocation(List<List<ContainerDevice>> containers) {

    /**
     * One card slice booked for a container.
     *
     * @param uuid       card UUID
     * @param type       device type word (e.g. {@code NVIDIA})
     * @param usedMemMiB booked memory, MiB
     * @param usedCores  booked compute, percent of the card
     */
    public record ContainerDevice(String uuid, String type, int usedMemMiB, int usedCores) {
        public ContainerDevice {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(type, "type");
        }
    }

    public DeviceAllocation {
        List<List<ContainerDevice>> copy = new ArrayList<>(containers.size());
        for (List<ContainerDevice> c : containers) {
            copy.add(List.copyOf(c));
        }
        containers = List.copyOf(copy);
    }

    /**
     * Decodes an allocation annotation value.
     *
     * @throws IllegalArgumentException naming the container entry, device and value
     */
    public static DeviceAllocation decode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value is null");
        }
        String[] entries = value.split(";", -1);
        List<List<ContainerDevice>> out = new ArrayList<>(entries.length);
        for (int c = 0; c < entries.length; c++) {
            List<ContainerDevice> devices = new ArrayList<>();
            String[] parts = entries[c].split(":", -1);
            int d = 0;
            for (String part : parts) {
                if (part.isEmpty()) {
                    continue;
                }
                String where = "container entry " + c + ", device " + d + " '" + NodeRegistration.abbreviate(part) + "'";
                if (!part.contains(",")) {
                    throw new IllegalArgumentException(where + ": malformed device (expected UUID,TYPE,USEDMEM,USEDCORES)");
                }
                String[] f = part.split(",", -1);
                if (f.length < 4) {
                    throw new IllegalArgumentException(where + ": has " + f.length
                            + " fields, expected UUID,TYPE,USEDMEM,USEDCORES");
                }
                if (f[0].isEmpty()) {
                    throw new IllegalArgumentException(where + ": empty UUID");
                }
                int mem = nonNegativeInt(f[2], "USEDMEM", where);
                int cores = nonNegativeInt(f[3], "USEDCORES", where);
                devices.add(new ContainerDevice(f[0], f[1], mem, cores));
                d++;
            }
            out.add(devices);
        }
        return new DeviceAllocation(out);
    }

    private static int nonNegativeInt(String s, String field, String where) {
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + field + " '" + s + "' is not an int32 integer");
        }
        if (v < 0) {
            throw new IllegalArgumentException(where + ": " + field + " " + v + " must not be negative");
        }
        return v;
    }
}
