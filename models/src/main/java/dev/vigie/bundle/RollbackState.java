package dev.vigie.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The highest bundle version this sensor has accepted, per site, kept in a small JSON file so that a restart does
 * not reopen the door to an older, validly signed but vulnerable or poisoned bundle (TUF's rollback rule).
 * <p>
 * Rules: a version lower than the accepted one is ROLLBACK. The same version is accepted again only if its
 * canonical manifest has the same SHA-256 as the one accepted (a restart reloading the installed bundle); the same
 * version with a different manifest is ROLLBACK too, since two different bundles must never share a number.
 * The file is replaced atomically (temp file, fsync, rename, fsync of the directory) and only after every other
 * check passed; check and update happen under an exclusive lock so two verifiers cannot both "win".
 * A missing file means nothing accepted yet; an unreadable or corrupt one refuses every bundle (STATE_UNUSABLE)
 * instead of silently starting over.
 */
public final class RollbackState {
    public static final Path DEFAULT_FILE = Path.of("/var/lib/vigie/accepted-versions.json");
    static final int STATE_FORMAT = 1;
    private static final long MAX_STATE_BYTES = 4L << 20;
    /** One JVM-wide monitor: FileLock is per process and throws if the same JVM locks twice. */
    private static final Object LOCK = new Object();

    /** What was accepted for a site. */
    public record Accepted(long version, String manifestSha256, String acceptedAt) {
        public Accepted {
            if (version < 1) {
                throw new IllegalArgumentException("version must be positive");
            }
            if (manifestSha256 == null || !FileEntry.SHA256.matcher(manifestSha256).matches()) {
                throw new IllegalArgumentException("manifestSha256 must be 64 lower-case hex digits");
            }
            Manifests.requireText(acceptedAt, "acceptedAt");
        }
    }

    /** The file's layout. */
    record StateFile(int formatVersion, Map<String, Accepted> sites) {
    }

    private final Path file;
    private final boolean readOnly;
    private final AtomicFiles.CrashPoint crash;
    private final Clock clock;

    RollbackState(Path file, boolean readOnly, AtomicFiles.CrashPoint crash, Clock clock) {
        this.file = Objects.requireNonNull(file).toAbsolutePath();
        this.readOnly = readOnly;
        this.crash = crash;
        this.clock = clock;
    }

    /** State kept in {@code file}; its directory is created on first acceptance if missing. */
    public static RollbackState at(Path file) {
        return new RollbackState(file, false, AtomicFiles.CrashPoint.NONE, Clock.systemUTC());
    }

    /** The same checks against the same file, but an accepted bundle is not recorded (for dry runs). */
    public RollbackState readOnly() {
        return new RollbackState(file, true, crash, clock);
    }

    public Path file() {
        return file;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public Optional<Accepted> accepted(String site) throws IOException {
        return Optional.ofNullable(load().get(site));
    }

    /** Every site's accepted version; empty if the file does not exist yet. */
    public Map<String, Accepted> load() throws IOException {
        try {
            return read();
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Accepted> read() throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_STATE_BYTES) {
                throw new IOException("larger than " + MAX_STATE_BYTES + " bytes, not a state file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Collections.emptyMap();
        }
        StateFile state;
        try {
            state = ManifestJson.MAPPER.readValue(bytes, StateFile.class);
        } catch (IOException e) {
            throw new IOException("corrupt state file: " + ManifestJson.describe(e), e);
        }
        if (state.formatVersion() != STATE_FORMAT) {
            throw new IOException("unknown state file format " + state.formatVersion());
        }
        return Collections.unmodifiableMap(new TreeMap<>(state.sites()));
    }

    /**
     * Checks {@code version} of {@code site} against the accepted one and records it. Package-private: only the
     * verifier, after every other check passed, may move the state forward.
     */
    void admit(String site, long version, String manifestSha256) throws BundleRejected {
        synchronized (LOCK) {
            if (readOnly) {
                check(site, version, manifestSha256, loadForCheck());
                return;
            }
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw unusable("cannot create directory " + file.getParent() + ": " + e.getMessage(), e);
            }
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.lock(); // released when the channel closes
                Map<String, Accepted> sites = loadForCheck();
                if (!check(site, version, manifestSha256, sites)) {
                    return;
                }
                Map<String, Accepted> next = new TreeMap<>(sites);
                next.put(site, new Accepted(version, manifestSha256,
                        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
                byte[] json = ManifestJson.canonicalBytes(new StateFile(STATE_FORMAT, next));
                ByteBuffer out = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n');
                AtomicFiles.write(file, out.array(), AtomicFiles.WORLD_READABLE, crash);
            } catch (IOException e) {
                throw unusable("cannot record accepted version: " + e.getMessage(), e);
            }
        }
    }

    /** True if the state must be updated, false if this exact bundle is already the accepted one. */
    private static boolean check(String site, long version, String manifestSha256, Map<String, Accepted> sites)
            throws BundleRejected {
        Accepted prev = sites.get(site);
        if (prev == null || version > prev.version()) {
            return true;
        }
        if (version < prev.version()) {
            throw new BundleRejected(BundleRejected.Reason.ROLLBACK, BundlePaths.MANIFEST, "bundle version "
                    + version + " of site " + site + " is lower than version " + prev.version()
                    + " accepted on " + prev.acceptedAt());
        }
        if (!prev.manifestSha256().equals(manifestSha256)) {
            throw new BundleRejected(BundleRejected.Reason.ROLLBACK, BundlePaths.MANIFEST, "bundle version "
                    + version + " of site " + site + " was already accepted with a different manifest (sha256 "
                    + prev.manifestSha256().substring(0, 16) + "...)");
        }
        return false;
    }

    private Map<String, Accepted> loadForCheck() throws BundleRejected {
        try {
            return read();
        } catch (IOException e) {
            throw unusable(e.getMessage(), e);
        }
    }

    private BundleRejected unusable(String detail, Throwable cause) {
        return new BundleRejected(BundleRejected.Reason.STATE_UNUSABLE, file.toString(), detail, cause);
    }
}
