package dev.vigie.alerts;

import java.util.List;
import java.util.Map;

/**
 * One alert: the flow that made a rule fire, the rule, and the evidence. Field meanings: docs/schema/alerts.md.
 *
 * @param timestampNanos capture time of the flow that made the rule fire (its ts_start), ns since the epoch
 * @param proto          lower case as in flow records ("tcp"); written upper case as EVE does
 * @param appProto       application protocol from the flow record's app_proto column, or null
 * @param evidence       ordered, JSON-serialisable values (numbers, strings, lists, maps)
 */
public record Alert(long timestampNanos, long flowId, String communityId, String srcIp, int srcPort, String destIp,
                    int destPort, String proto, String appProto, int signatureId, int rev, String signature,
                    String category, int severity, List<String> tacticIds, List<String> tacticNames,
                    List<String> techniqueIds, List<String> techniqueNames, List<String> tags, String ruleId,
                    Map<String, Object> evidence) {}
