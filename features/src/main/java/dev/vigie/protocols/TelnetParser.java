package dev.vigie.protocols;

/**
 * Telnet: watches the first bytes the server sends for a login or password prompt ("login:", "username:",
 * "password:", any case), the sign that credentials follow in clear. Prompts split across segments are found too:
 * each pattern keeps how much of it matched so far.
 */
final class TelnetParser extends ProtocolParser {
    private static final String[] PROMPTS = {"login:", "username:", "user name:", "password:"};
    private static final long BUDGET = 16 * 1024;

    boolean promptSeen;
    private final int[] matched = new int[PROMPTS.length];

    @Override
    AppProto proto() {
        return AppProto.TELNET;
    }

    @Override
    boolean wants(boolean fromOrig) {
        return !fromOrig && !promptSeen;
    }

    @Override
    long budget(boolean fromOrig) {
        return BUDGET;
    }

    @Override
    boolean cleartextCredentials() {
        return promptSeen;
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        if (fromOrig) {
            return len;
        }
        for (int i = off; i < off + len && !promptSeen; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            for (int k = 0; k < PROMPTS.length; k++) {
                String p = PROMPTS[k];
                if (c == p.charAt(matched[k])) {
                    if (++matched[k] == p.length()) {
                        promptSeen = true;
                        break;
                    }
                } else {
                    // none of the prompts repeats its first letter inside itself, so restarting is exact
                    matched[k] = c == p.charAt(0) ? 1 : 0;
                }
            }
        }
        return len;
    }

    /** IAC followed by WILL, WONT, DO or DONT: option negotiation, how telnet servers and clients open. */
    static boolean looksLikeTelnet(byte[] b, int off, int len) {
        return len >= 3 && (b[off] & 0xFF) == 0xFF && (b[off + 1] & 0xFF) >= 0xFB && (b[off + 1] & 0xFF) <= 0xFE;
    }
}
