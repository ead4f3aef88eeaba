package dev.vigie.protocols;

/**
 * TLS over TCP, cleartext part of the handshake: the ClientHello (SNI, ALPN, offered versions, JA3, JA4), the
 * ServerHello (version, cipher) and, up to TLS 1.2, the server's leaf certificate (subject, issuer, validity,
 * self-signed).
 *
 * <p>Records are streamed: only a record header may wait for more bytes, and handshake-record bodies are copied into
 * a pooled {@link ParseContext#HANDSHAKE_SIZE} buffer, so a handshake message may span records. The Certificate
 * message is read as soon as its first (leaf) certificate is complete, since the rest of the chain does not matter.
 * A direction is done once its part of the handshake is read, or at a ChangeCipherSpec or application data (what
 * follows is encrypted).
 */
final class TlsParser extends ProtocolParser {
    private static final int HANDSHAKE = 22, CHANGE_CIPHER_SPEC = 20, ALERT = 21, APPLICATION_DATA = 23,
            HEARTBEAT = 24;
    private static final int MAX_RECORD = 16384 + 2048;
    private static final int CLIENT_HELLO = 1, SERVER_HELLO = 2, CERTIFICATE = 11, SERVER_HELLO_DONE = 14;

    int clientMaxVersion = -1;
    String versionsOffered;
    String sni;
    String alpn;
    String ja3;
    String ja4;
    int serverVersion = -1;
    int cipher = -1;
    X509Summary cert;

    private final Direction orig = new Direction();
    private final Direction resp = new Direction();
    private boolean sawHello;

    /** Record-layer and handshake reassembly state of one direction. */
    private static final class Direction {
        int recordType;
        int recordRemaining;
        byte[] hs;
        int hsLen;
        boolean done;
    }

    @Override
    AppProto proto() {
        return AppProto.TLS;
    }

    @Override
    boolean wants(boolean fromOrig) {
        return !(fromOrig ? orig : resp).done;
    }

    @Override
    long budget(boolean fromOrig) {
        return 256 * 1024;
    }

    boolean selfSigned() {
        return cert != null && cert.subject != null && cert.subject.equals(cert.issuer);
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        Direction d = fromOrig ? orig : resp;
        int pos = off;
        int end = off + len;
        while (pos < end && !d.done) {
            if (d.recordRemaining == 0) {
                if (end - pos < 5) {
                    return pos - off;
                }
                int type = b[pos] & 0xFF;
                int major = b[pos + 1] & 0xFF;
                int length = ((b[pos + 3] & 0xFF) << 8) | (b[pos + 4] & 0xFF);
                if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT || major != 3 || length > MAX_RECORD) {
                    parseError(ctx);
                    if (!sawHello) {
                        rejected = true;
                    }
                    finish(ctx, d);
                    return len;
                }
                pos += 5;
                d.recordType = type;
                d.recordRemaining = length;
                if (type == CHANGE_CIPHER_SPEC || type == APPLICATION_DATA) {
                    finish(ctx, d);                   // from here on this side's handshake is encrypted
                    return len;
                }
                continue;
            }
            int n = Math.min(d.recordRemaining, end - pos);
            if (d.recordType == HANDSHAKE) {
                handshakeBytes(ctx, d, fromOrig, b, pos, n);
            }
            d.recordRemaining -= n;
            pos += n;
        }
        return len;
    }

    private void handshakeBytes(ParseContext ctx, Direction d, boolean fromOrig, byte[] b, int off, int len) {
        while (len > 0 && !d.done) {
            if (d.hs == null) {
                d.hs = ctx.handshake.take();
            }
            int n = Math.min(len, d.hs.length - d.hsLen);
            System.arraycopy(b, off, d.hs, d.hsLen, n);
            d.hsLen += n;
            off += n;
            len -= n;
            int used = messages(ctx, d, fromOrig);
            if (d.done) {
                return;
            }
            if (used == 0 && d.hsLen == d.hs.length) {
                truncated(ctx);                        // one message larger than we keep, and not one we can cut
                finish(ctx, d);
                return;
            }
            d.hsLen -= used;
            if (used > 0 && d.hsLen > 0) {
                System.arraycopy(d.hs, used, d.hs, 0, d.hsLen);
            }
        }
    }

    /** Handles the complete handshake messages at the start of the buffer; returns the bytes they took. */
    private int messages(ParseContext ctx, Direction d, boolean fromOrig) {
        byte[] hs = d.hs;
        int p = 0;
        while (d.hsLen - p >= 4 && !d.done) {
            int type = hs[p] & 0xFF;
            int length = ((hs[p + 1] & 0xFF) << 16) | ((hs[p + 2] & 0xFF) << 8) | (hs[p + 3] & 0xFF);
            int available = d.hsLen - p - 4;
            if (available < length) {
                if (type == CERTIFICATE && !fromOrig) {
                    if (leafCertificate(ctx, hs, p + 4, available, false)) {
                        finish(ctx, d);
                    }
                }
                break;
            }
            message(ctx, d, fromOrig, type, hs, p + 4, length);
            p += 4 + length;
        }
        return p;
    }

    private void message(ParseContext ctx, Direction d, boolean fromOrig, int type, byte[] b, int off, int len) {
        if (fromOrig) {
            if (type == CLIENT_HELLO) {
                clientHello(ctx, b, off, len);
                finish(ctx, d);
            }
            return;
        }
        switch (type) {
            case SERVER_HELLO -> {
                serverHello(ctx, b, off, len);
                if (serverVersion == 0x0304 || (serverVersion >>> 8) == 0x7F) {
                    finish(ctx, d);                    // TLS 1.3: the certificate is encrypted
                }
            }
            case CERTIFICATE -> {
                leafCertificate(ctx, b, off, len, true);
                finish(ctx, d);
            }
            case SERVER_HELLO_DONE -> finish(ctx, d);
            default -> { }
        }
    }

    private void finish(ParseContext ctx, Direction d) {
        d.done = true;
        if (d.hs != null) {
            ctx.handshake.give(d.hs);
            d.hs = null;
            d.hsLen = 0;
        }
    }

    @Override
    void release(ParseContext ctx) {
        finish(ctx, orig);
        finish(ctx, resp);
    }

    @Override
    void onStreamEnd(ParseContext ctx, boolean fromOrig) {
        finish(ctx, fromOrig ? orig : resp);
    }

    // ---- ClientHello

    private void clientHello(ParseContext ctx, byte[] b, int off, int len) {
        if (sawHello) {
            return;
        }
        ClientHello h = ctx.hello;
        h.reset();
        int end = off + len;
        int p = off;
        if (p + 35 > end) {
            parseError(ctx);
            return;
        }
        h.legacyVersion = u16(b, p);
        p += 34;
        int sid = b[p] & 0xFF;
        p += 1 + sid;
        if (sid > 32 || p + 2 > end) {
            parseError(ctx);
            return;
        }
        int cs = u16(b, p);
        p += 2;
        if ((cs & 1) != 0 || p + cs > end) {
            parseError(ctx);
            return;
        }
        for (int i = 0; i < cs; i += 2) {
            h.addCipher(u16(b, p + i));
        }
        p += cs;
        if (p + 1 > end) {
            parseError(ctx);
            return;
        }
        int comp = b[p] & 0xFF;
        p += 1 + comp;
        if (p > end) {
            parseError(ctx);
            return;
        }
        boolean good = true;
        if (p + 2 <= end) {
            int total = u16(b, p);
            p += 2;
            int extEnd = p + total;
            if (extEnd > end) {
                good = false;
                extEnd = end;
            }
            good &= extensions(ctx, h, b, p, extEnd);
        }
        if (!good) {
            parseError(ctx);
        }
        sawHello = true;
        fromHello(ctx, h);
    }

    private boolean extensions(ParseContext ctx, ClientHello h, byte[] b, int p, int end) {
        BoundedList alpnList = null;
        while (p + 4 <= end) {
            int type = u16(b, p);
            int len = u16(b, p + 2);
            int data = p + 4;
            if (data + len > end) {
                return false;
            }
            h.addExtension(type);
            int e = data + len;
            switch (type) {
                case 0x0000 -> {
                    h.sniPresent = true;
                    if (len >= 5) {
                        int q = data + 2;
                        while (q + 3 <= e) {
                            int nameType = b[q] & 0xFF;
                            int nameLen = u16(b, q + 1);
                            if (q + 3 + nameLen > e) {
                                break;
                            }
                            if (nameType == 0 && sni == null) {
                                sni = Text.value(ctx.sb, b, q + 3, nameLen);
                            }
                            q += 3 + nameLen;
                        }
                    }
                }
                case 0x0010 -> {
                    if (len >= 2) {
                        int q = data + 2;
                        int listEnd = Math.min(e, q + u16(b, data));
                        while (q < listEnd) {
                            int l = b[q] & 0xFF;
                            if (q + 1 + l > listEnd) {
                                break;
                            }
                            if (h.alpnLen < 0) {
                                h.alpnBuf = b;
                                h.alpnOff = q + 1;
                                h.alpnLen = l;
                            }
                            if (alpnList == null) {
                                alpnList = new BoundedList();
                            }
                            if (!alpnList.add(Text.item(ctx.sb, b, q + 1, l))) {
                                truncated(ctx);
                                break;
                            }
                            q += 1 + l;
                        }
                    }
                }
                case 0x002B -> {
                    h.hasSupportedVersions = true;
                    if (len >= 1) {
                        int n = Math.min(b[data] & 0xFF, len - 1);
                        for (int i = 0; i + 1 < n; i += 2) {
                            h.addVersion(u16(b, data + 1 + i));
                        }
                    }
                }
                case 0x000D -> u16List(b, data, e, h, 0);
                case 0x000A -> u16List(b, data, e, h, 1);
                case 0x000B -> {
                    if (len >= 1) {
                        int n = Math.min(b[data] & 0xFF, len - 1);
                        for (int i = 0; i < n; i++) {
                            h.addPointFormat(b[data + 1 + i] & 0xFF);
                        }
                    }
                }
                default -> { }
            }
            p = e;
        }
        if (alpnList != null) {
            alpn = alpnList.joined();
        }
        return p == end;
    }

    private static void u16List(byte[] b, int data, int e, ClientHello h, int which) {
        if (data + 2 > e) {
            return;
        }
        int n = Math.min(u16(b, data), e - data - 2);
        for (int i = 0; i + 1 < n; i += 2) {
            int v = u16(b, data + 2 + i);
            if (which == 0) {
                h.addSigAlg(v);
            } else {
                h.addGroup(v);
            }
        }
    }

    private void fromHello(ParseContext ctx, ClientHello h) {
        if (h.cut) {
            truncated(ctx);
        }
        clientMaxVersion = h.maxVersion();
        BoundedList offered = new BoundedList();
        if (h.hasSupportedVersions) {
            for (int i = 0; i < h.versionCount; i++) {
                if (!TlsVersions.isGrease(h.versions[i])) {
                    offered.add(TlsVersions.name(h.versions[i]));
                }
            }
        } else {
            offered.add(TlsVersions.name(h.legacyVersion));
        }
        versionsOffered = offered.joined();
        ja3 = Ja3.hash(ctx, h);
        ja4 = Ja4.fingerprint(ctx, h, 't');
        h.alpnBuf = null;
    }

    // ---- ServerHello and Certificate

    private void serverHello(ParseContext ctx, byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        if (p + 35 > end) {
            parseError(ctx);
            return;
        }
        int legacy = u16(b, p);
        p += 34;
        int sid = b[p] & 0xFF;
        p += 1 + sid;
        if (sid > 32 || p + 3 > end) {
            parseError(ctx);
            return;
        }
        cipher = u16(b, p);
        p += 3;
        serverVersion = legacy;
        if (p + 2 <= end) {
            int extEnd = Math.min(end, p + 2 + u16(b, p));
            p += 2;
            while (p + 4 <= extEnd) {
                int type = u16(b, p);
                int l = u16(b, p + 2);
                if (p + 4 + l > extEnd) {
                    parseError(ctx);
                    break;
                }
                if (type == 0x002B && l == 2) {
                    serverVersion = u16(b, p + 4);
                }
                p += 4 + l;
            }
        }
    }

    /**
     * Reads the first certificate of a (TLS 1.2 and older) Certificate message body {@code b[off, off+len)}, which
     * may be only a prefix when {@code complete} is false. Returns true once the leaf was read (or is unreadable).
     */
    private boolean leafCertificate(ParseContext ctx, byte[] b, int off, int len, boolean complete) {
        if (len < 6) {
            if (complete) {
                parseError(ctx);
            }
            return complete;
        }
        int certLen = ((b[off + 3] & 0xFF) << 16) | ((b[off + 4] & 0xFF) << 8) | (b[off + 5] & 0xFF);
        if (6 + certLen > len) {
            if (complete) {
                parseError(ctx);
            }
            return complete;
        }
        X509Summary s = new X509Summary();
        if (X509Summary.parse(s, ctx.sb, b, off + 6, certLen)) {
            cert = s;
        } else {
            parseError(ctx);
            if (s.subject != null || s.issuer != null || s.notBeforeNs != Long.MIN_VALUE) {
                cert = s;
            }
        }
        return true;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    /** Content sniff: a handshake record header whose body starts a ClientHello or ServerHello. */
    static boolean looksLikeTls(byte[] b, int off, int len) {
        if (len < 6) {
            return false;
        }
        int length = u16(b, off + 3);
        int hsType = b[off + 5] & 0xFF;
        return b[off] == HANDSHAKE && b[off + 1] == 3 && (b[off + 2] & 0xFF) <= 4 && length > 0 && length <= MAX_RECORD
                && (hsType == CLIENT_HELLO || hsType == SERVER_HELLO);
    }
}
