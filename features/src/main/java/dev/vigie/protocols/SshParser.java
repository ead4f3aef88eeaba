package dev.vigie.protocols;

/**
 * SSH: both identification lines ("SSH-2.0-OpenSSH_9.6"), then the cleartext binary packets walked by their
 * length fields up to each side's NEWKEYS, then Zeek's authentication heuristic on the sizes of the encrypted
 * segments (Zeek's SSH analyzer, ProcessEncrypted): once the client has sent encrypted data, the server's first
 * encrypted segment is the SERVICE_ACCEPT; a later one 16 bytes shorter is USERAUTH_SUCCESS; the first other one
 * (skipping one over 256 bytes more, a pre-auth banner) sets the USERAUTH_FAILURE size, and each further segment of
 * that size is a failed attempt. The result is the last attempt's outcome (success sticks), unknown when no
 * attempt was seen; SSH-1 gets no heuristic. Like Zeek, we cannot tell with non-delayed compression.
 */
final class SshParser extends ProtocolParser {
    private static final int BANNER = 0, PACKETS = 1, ENCRYPTED = 2, DEAD = 3;
    /** RFC 4253 6.1: implementations must handle 35000-byte packets; allow more before calling it garbage. */
    private static final int MAX_PACKET = 256 * 1024;
    private static final int MAX_PRE_BANNER_LINES = 16;
    /** Encrypted server segments looked at without a decision before giving up. */
    private static final int MAX_ENCRYPTED = 256;

    String client;
    String server;
    /** -1 unknown, 0 the last attempt failed, 1 success. */
    int authResult = -1;
    int authAttempts;

    private final Side orig = new Side();
    private final Side resp = new Side();
    private boolean sawEncryptedClientData;
    private int serviceAcceptSize;
    private int userauthFailureSize;
    private boolean skippedBanner;
    private boolean decided;
    private int encryptedServerSegments;

    private static final class Side {
        int state = BANNER;
        int skip;
        int lines;
        boolean newKeys;
    }

    @Override
    AppProto proto() {
        return AppProto.SSH;
    }

    @Override
    boolean wants(boolean fromOrig) {
        return !decided && (fromOrig ? orig : resp).state != DEAD;
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        Side s = fromOrig ? orig : resp;
        int pos = off;
        int end = off + len;
        while (pos < end && s.state != DEAD && !decided) {
            switch (s.state) {
                case BANNER -> {
                    int lf = Text.indexOf(b, pos, end, '\n');
                    if (lf < 0) {
                        if (full && pos == off) {
                            parseError(ctx);
                            s.state = DEAD;
                            return len;
                        }
                        return pos - off;
                    }
                    int lineEnd = lf > pos && b[lf - 1] == '\r' ? lf - 1 : lf;
                    if (Text.startsWith(b, pos, lineEnd, "SSH-")) {
                        String banner = Text.value(ctx.sb, b, pos, lineEnd - pos);
                        if (fromOrig) {
                            client = banner;
                        } else {
                            server = banner;
                        }
                        s.state = PACKETS;
                    } else if (fromOrig || ++s.lines > MAX_PRE_BANNER_LINES) {
                        // only the server may send other lines before its identification (RFC 4253 4.2)
                        parseError(ctx);
                        if (client == null && server == null) {
                            rejected = true;
                        }
                        s.state = DEAD;
                    }
                    pos = lf + 1;
                }
                case PACKETS -> {
                    if (s.skip > 0) {
                        int n = Math.min(s.skip, end - pos);
                        s.skip -= n;
                        pos += n;
                    } else {
                        if (end - pos < 6) {
                            return pos - off;
                        }
                        long length = DnsParser.u32(b, pos);
                        if (length < 5 || length > MAX_PACKET) {
                            parseError(ctx);
                            s.state = DEAD;
                            return len;
                        }
                        if ((b[pos + 5] & 0xFF) == 21) {
                            s.newKeys = true;
                        }
                        s.skip = (int) length - 2;
                        pos += 6;
                    }
                    if (s.skip == 0 && s.newKeys) {
                        s.state = ENCRYPTED;
                        if (pos < end) {
                            encrypted(fromOrig, end - pos);
                            pos = end;
                        }
                    }
                }
                case ENCRYPTED -> {
                    encrypted(fromOrig, end - pos);
                    pos = end;
                }
                default -> {
                    return len;
                }
            }
        }
        return s.state == DEAD || decided ? len : pos - off;
    }

    private boolean version2() {
        return v2(client) && v2(server);
    }

    private static boolean v2(String banner) {
        return banner != null && (banner.startsWith("SSH-2.") || banner.startsWith("SSH-1.99"));
    }

    /** One segment's encrypted bytes from one side (Zeek's ProcessEncrypted). */
    private void encrypted(boolean fromOrig, int len) {
        if (decided || !version2()) {
            return;
        }
        if (fromOrig) {
            sawEncryptedClientData = true;
            return;
        }
        if (!sawEncryptedClientData) {
            return;
        }
        if (++encryptedServerSegments > MAX_ENCRYPTED) {
            decided = true;
            return;
        }
        if (serviceAcceptSize == 0) {
            serviceAcceptSize = len;
            return;
        }
        if (userauthFailureSize == 0 && len + 16 == serviceAcceptSize) {
            attempt(true);                               // "none" authentication succeeded at once
            return;
        }
        if (userauthFailureSize == 0) {
            if (!skippedBanner && len - serviceAcceptSize > 256) {
                skippedBanner = true;
                return;
            }
            userauthFailureSize = len;
            return;
        }
        if (len == userauthFailureSize) {
            attempt(false);
            return;
        }
        if (len - serviceAcceptSize == -16) {
            attempt(true);
        }
    }

    private void attempt(boolean success) {
        authAttempts++;
        if (authResult != 1) {
            authResult = success ? 1 : 0;
        }
        if (success) {
            decided = true;
        }
    }

    static boolean looksLikeSsh(byte[] b, int off, int len) {
        return Text.startsWith(b, off, off + len, "SSH-");
    }
}
