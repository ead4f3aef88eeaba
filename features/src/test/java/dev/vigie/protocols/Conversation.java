package dev.vigie.protocols;

import dev.vigie.decode.DecodedPacket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP connection driven through a {@link Harness}: handshake, data in either direction (split in segments of a
 * chosen size), and close, with correct sequence numbers.
 */
final class Conversation {
    private final Harness h;
    final String client;
    final int clientPort;
    final String server;
    final int serverPort;
    long clientSeq = 1000;
    long serverSeq = 5000;
    /** Largest segment payload; 1 delivers byte by byte. */
    int mss = 1460;

    Conversation(Harness h, String client, int clientPort, String server, int serverPort) {
        this.h = h;
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
    }

    Conversation open() {
        packet(true, DecodedPacket.TCP_SYN, new byte[0], 0, 0);
        clientSeq++;
        packet(false, DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, new byte[0], 0, 0);
        serverSeq++;
        packet(true, DecodedPacket.TCP_ACK, new byte[0], 0, 0);
        return this;
    }

    Conversation client(String text) {
        return client(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Conversation server(String text) {
        return server(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Conversation client(byte[] data) {
        return send(true, data);
    }

    Conversation server(byte[] data) {
        return send(false, data);
    }

    Conversation send(boolean fromClient, byte[] data) {
        for (int off = 0; off < data.length; off += mss) {
            int n = Math.min(mss, data.length - off);
            packet(fromClient, DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH, data, off, n);
            if (fromClient) {
                clientSeq += n;
            } else {
                serverSeq += n;
            }
        }
        return this;
    }

    /** A segment sent again (the sequence number does not move). */
    Conversation retransmit(boolean fromClient, byte[] data, int back) {
        long seq = (fromClient ? clientSeq : serverSeq) - back;
        h.wire.tcp(h.tick(), fromClient ? client : server, fromClient ? clientPort : serverPort,
                fromClient ? server : client, fromClient ? serverPort : clientPort,
                DecodedPacket.TCP_ACK, seq, 0, data, 0, data.length);
        h.send();
        return this;
    }

    /** Skips {@code n} bytes of sequence space (a capture drop). */
    Conversation lose(boolean fromClient, int n) {
        if (fromClient) {
            clientSeq += n;
        } else {
            serverSeq += n;
        }
        return this;
    }

    Conversation close() {
        packet(true, DecodedPacket.TCP_FIN | DecodedPacket.TCP_ACK, new byte[0], 0, 0);
        clientSeq++;
        packet(false, DecodedPacket.TCP_FIN | DecodedPacket.TCP_ACK, new byte[0], 0, 0);
        serverSeq++;
        packet(true, DecodedPacket.TCP_ACK, new byte[0], 0, 0);
        return this;
    }

    private void packet(boolean fromClient, int flags, byte[] data, int off, int len) {
        if (fromClient) {
            h.wire.tcp(h.tick(), client, clientPort, server, serverPort, flags, clientSeq, serverSeq, data, off, len);
        } else {
            h.wire.tcp(h.tick(), server, serverPort, client, clientPort, flags, serverSeq, clientSeq, data, off, len);
        }
        h.send();
    }
}
