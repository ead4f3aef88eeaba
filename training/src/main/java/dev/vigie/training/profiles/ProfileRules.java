package dev.vigie.training.profiles;

/**
 * How a flow is scored against the per-host profiles; written into the bundle ({@code profiles/rules.json}).
 * Hosts are profiled as originators (the host that opened the flow), plus the ports each host served.
 *
 * @param minHostFlows   a host seen in fewer training flows has no profile yet: no rule fires for it (a laptop
 *                       that appeared once would otherwise alert on everything it does)
 * @param newPeer        alert when a profiled host opens a flow to an address it never contacted in training
 * @param unusualPort    alert when a profiled host opens a flow to a (protocol, port) it never used in training
 * @param newServedPort  alert when a host that served flows in training answers on a (protocol, port) it never
 *                       served (a new listener, e.g. a backdoor)
 * @param volumeFactor   alert when a host's bytes sent in one hour exceed this many times its training p99
 * @param connFactor     alert when a host's flows opened in one hour exceed this many times its training p99
 * @param minHourBytes   ... and are above this floor (small hosts have tiny p99s)
 * @param minHourConns   ... and are above this floor
 */
public record ProfileRules(int minHostFlows, boolean newPeer, boolean unusualPort, boolean newServedPort,
                           double volumeFactor, double connFactor, long minHourBytes, long minHourConns) {
    public static final ProfileRules DEFAULTS = new ProfileRules(50, true, true, true, 3.0, 3.0, 1 << 20, 100);
}
