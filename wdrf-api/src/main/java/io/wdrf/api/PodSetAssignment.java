package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * Kueue's admission of one pod set ({@code status.admission.podSetAssignments[]}).
 *
 * @param name          pod set name
 * @param flavors       resource name → ResourceFlavor name chosen by Kueue
 * @param resourceUsage total usage of all pods of the set at admission time, base units
 * @param count         admitted pod count (may be below the spec count under partial admission)
 */
public record PodSetAssignment(String name, Map<String, String> flavors, ResourceVector resourceUsage, int count) {

    public PodSetAssignment {
        Objects.requireNonNull(name, "name");
        flavors = Records.sortedCopy(flavors);
        resourceUsage = resourceUsage == null ? ResourceVector.empty() : resourceUsage;
    }
}
