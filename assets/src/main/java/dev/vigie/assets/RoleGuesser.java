package dev.vigie.assets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Role guess with its reasons, first match wins: biomedical (speaks HL7 as a sender, requests DICOM
 * associations, or has a medical-device maker's MAC prefix), network device (routes for other addresses, or
 * initial TTL 255 with no other signal), server (answered a service to two or more clients, or any of DNS,
 * DHCP, HL7, DICOM), workstation (originates connections, answers nothing), unknown.
 */
final class RoleGuesser {
    private RoleGuesser() {}

    static final String BIOMEDICAL = "biomedical", NETWORK = "network device", SERVER = "server",
            WORKSTATION = "workstation", UNKNOWN = "unknown";

    private static final String[] MEDICAL_VENDORS = {"ge healthcare", "ge medical", "philips medical", "drager",
            "draeger", "drägerwerk", "b. braun", "b.braun", "baxter", "mindray", "nihon kohden", "siemens healthineers",
            "siemens healthcare", "fresenius", "medtronic", "spacelabs", "welch allyn", "masimo", "hamilton medical",
            "carefusion", "becton", "icu medical", "hospira", "olympus medical", "canon medical", "fujifilm medical",
            "natus", "schiller", "nonin", "zoll", "stryker", "getinge", "maquet", "biotronik", "edan instruments"};

    record Role(String role, String reasons) {}

    static Role guess(Asset a, boolean router) {
        List<String> why = new ArrayList<>();
        int hl7 = Services.bit("hl7"), dicom = Services.bit("dicom");
        if ((a.clientProtos & (1L << hl7)) != 0 && a.hl7Types.length > 0) why.add("sends HL7 " + String.join("/", a.hl7Types));
        if ((a.clientProtos & (1L << dicom)) != 0) why.add("requests DICOM associations");
        if (a.vendor != null) {
            String v = a.vendor.toLowerCase(Locale.ROOT);
            for (String m : MEDICAL_VENDORS) {
                if (v.contains(m)) {
                    why.add("medical-device maker's MAC prefix (" + a.vendor + ")");
                    break;
                }
            }
        }
        // nmap -sV sends HL7 and DICOM probes: a scanner speaking them is not a device
        boolean scans = a.scanner || a.nmapProbes > 0;
        if (!why.isEmpty() && !scans) return new Role(BIOMEDICAL, String.join("; ", why));
        if (router) return new Role(NETWORK, "L2 address of " + a.routedAddresses + " other addresses (routes for them)");
        boolean answersKey = false;
        for (int s : a.services) {
            String n = Services.port(s >>> 16, s & 0xFFFF);
            if ("dns".equals(n) || "dhcp".equals(n) || "hl7".equals(n) || "dicom".equals(n)) answersKey = true;
        }
        if (a.services.length > 0 && (a.clients.length >= 2 || answersKey)) {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < Math.min(4, a.services.length); i++) s.add(Services.label(a.services[i]));
            return new Role(SERVER, "answered " + String.join(", ", s) + (a.services.length > 4 ? ", ..." : "")
                    + " to " + a.clients.length + (a.clients.length >= Asset.MAX_CLIENTS ? "+" : "") + " client(s)");
        }
        if (OsGuesser.ttlInitial(a) == 255 && a.flowsOrig == 0) return new Role(NETWORK, "initial TTL 255, originates nothing");
        if (a.flowsOrig > 0 && a.services.length == 0) {
            why.clear();
            if (scans) why.add("scans");
            why.add("originated " + a.flowsOrig + " flow(s), answers no service");
            if (a.dhcpParams != null) why.add("DHCP client");
            return new Role(WORKSTATION, String.join("; ", why));
        }
        if (a.flowsOrig > 0) return new Role(WORKSTATION, "originates flows; answered " + Services.label(a.services[0]) + " to one client");
        return new Role(UNKNOWN, a.services.length > 0 ? "answered one client only" : "seen on the link only");
    }
}
