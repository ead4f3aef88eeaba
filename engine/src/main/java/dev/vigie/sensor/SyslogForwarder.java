package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import dev.vigie.alerts.EveJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends alerts to a syslog collector as RFC 5424 messages whose MSG is the alert's EVE JSON line: over UDP (one
 * datagram each, at most {@value #MAX_UDP} bytes: a longer message is cut at a character boundary and counted) or
 * TCP (RFC 6587 octet counting: {@code LEN SP MSG}). The sensor loop only formats and enqueues; a sender thread
 * does the network I/O, so a slow or absent collector never stalls capture. A full queue drops (counted), and a
 * broken TCP connection is retried with exponential backoff (1 s to 30 s), the message in hand kept for the retry.
 */
public final class SyslogForwarder implements AlertSink, AutoCloseable {
    static final int MAX_UDP = 8192;
    static final int QUEUE = 65_536;
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    /** Where to send: {@code udp://host:port} or {@code tcp://host:port}. */
    public record Target(boolean tcp, String host, int port) {
        public static Target parse(String url) {
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a syslog target (udp://host:port or tcp://host:port): " + url);
            }
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equals("udp") || scheme.equals("tcp")) || u.getHost() == null || u.getPort() < 1) {
                throw new IllegalArgumentException("not a syslog target (udp://host:port or tcp://host:port): " + url);
            }
            return new Target(scheme.equals("tcp"), u.getHost(), u.getPort());
        }
    }

    private final Target target;
    private final String hostname;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread sender;
    private volatile boolean closing;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    public SyslogForwarder(Target target) {
        this.target = target;
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "-";
        }
        this.hostname = h.isEmpty() ? "-" : h.replace(' ', '_');
        this.sender = new Thread(this::send, "vigie-syslog");
        sender.setDaemon(true);
        sender.start();
    }

    /** RFC 5424 PRI: facility local0 (16); EVE severity 1..4 → syslog crit, err, warning, notice. */
    static int pri(int severity) {
        int sev = switch (severity) {
            case 1 -> 2;
            case 2 -> 3;
            case 3 -> 4;
            default -> 5;
        };
        return 16 * 8 + sev;
    }

    /** The RFC 5424 message for an alert (no framing). */
    String format(Alert a) {
        String msgId = a.ruleId() == null || a.ruleId().isEmpty() ? "-" : a.ruleId();
        if (msgId.length() > 32) {
            msgId = msgId.substring(0, 32); // MSGID is at most 32 printable characters
        }
        return "<" + pri(a.severity()) + ">1 " + RFC3339.format(Instant.now()) + " " + hostname + " vigie "
                + ProcessHandle.current().pid() + " " + msgId + " [vigie@32473 sid=\"" + a.signatureId()
                + "\" severity=\"" + a.severity() + "\"] " + EveJson.line(a);
    }

    @Override
    public void accept(Alert a) {
        byte[] msg = format(a).getBytes(StandardCharsets.UTF_8);
        if (!target.tcp() && msg.length > MAX_UDP) {
            int end = MAX_UDP;
            while (end > 0 && (msg[end] & 0xC0) == 0x80) {
                end--; // do not cut a UTF-8 sequence
            }
            msg = java.util.Arrays.copyOf(msg, end);
            truncated.incrementAndGet();
        }
        if (!queue.offer(msg)) {
            dropped.incrementAndGet();
        }
    }

    private void send() {
        DatagramSocket udp = null;
        Socket tcp = null;
        OutputStream out = null;
        long backoff = 1000;
        byte[] pending = null;
        while (!closing || !queue.isEmpty() || pending != null) {
            try {
                if (pending == null) {
                    pending = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (pending == null) {
                        continue;
                    }
                }
                if (target.tcp()) {
                    if (tcp == null) {
                        tcp = new Socket();
                        tcp.connect(new InetSocketAddress(target.host(), target.port()), 5000);
                        out = tcp.getOutputStream();
                        backoff = 1000;
                    }
                    out.write((pending.length + " ").getBytes(StandardCharsets.US_ASCII));
                    out.write(pending);
                    out.flush();
                } else {
                    if (udp == null) {
                        udp = new DatagramSocket();
                    }
                    udp.send(new DatagramPacket(pending, pending.length, new InetSocketAddress(target.host(), target.port())));
                }
                sent.incrementAndGet();
                pending = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException e) {
                errors.incrementAndGet();
                if (tcp != null) {
                    try {
                        tcp.close();
                    } catch (IOException ignored) {
                        // reconnecting anyway
                    }
                    tcp = null;
                }
                if (!target.tcp()) {
                    pending = null; // a datagram that cannot be sent is lost: counted as an error
                    continue;
                }
                if (closing) {
                    dropped.incrementAndGet();
                    pending = null;
                    queue.forEach(m -> dropped.incrementAndGet());
                    queue.clear();
                    break;
                }
                reconnects.incrementAndGet();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(30_000, backoff * 2);
            }
        }
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long truncated() {
        return truncated.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long errors() {
        return errors.get();
    }

    public Target target() {
        return target;
    }

    /** Sends what is queued (waiting at most 5 s), then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
    }
}
