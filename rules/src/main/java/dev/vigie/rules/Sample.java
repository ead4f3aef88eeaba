package dev.vigie.rules;

import dev.vigie.features.IpText;

/**
 * A flow kept as evidence: enough to find it again in the flow records (flow_id within this run, or the
 * 5-tuple and time anywhere). Addresses stay numeric until an alert needs them as text: most samples are
 * overwritten without ever being shown.
 */
record Sample(long flowId, long tsNanos, int ipVersion, long srcHi, long srcLo, int srcPort, long destHi,
              long destLo, int destPort, String value) {

    String srcIp() {
        return IpText.format(ipVersion, srcHi, srcLo);
    }

    String destIp() {
        return IpText.format(ipVersion, destHi, destLo);
    }
}
