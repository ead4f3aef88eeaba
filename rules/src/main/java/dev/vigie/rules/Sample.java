package dev.vigie.rules;

/**
 * A flow kept as evidence: enough to find it again in the flow records (flow_id within this run, or the
 * 5-tuple and time anywhere).
 */
public record Sample(long flowId, long tsNanos, String srcIp, int srcPort, String destIp, int destPort, String value) {}
