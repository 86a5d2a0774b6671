package org.tandem.gateway.registrar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import org.tandem.config.UserConfig;

/**
 * The bindings of every user in one small text file, so registrations survive a restart.
 *
 * <p>Written whole and atomically: a temporary file in the same directory, fsync, rename over
 * the old one, fsync of the directory. A crash at any moment leaves the old file or the new one,
 * never a mix. Why a file and not an embedded database: docs/REGISTRAR.md.
 *
 * <pre>
 * tandem-bindings 1                                 header: format and version
 * CRC32 TAB user TAB contact TAB q TAB expiresAt TAB registeredAt TAB callId TAB cseq
 *       TAB transport TAB host TAB port TAB path TAB userAgent  (one line per binding)
 * </pre>
 * CRC32 is 8 hex digits over the rest of the line after its tab. Fields are percent-encoded
 * ({@code %}, tab, CR, LF, {@code ,} and control characters); {@code q} is thousandths or
 * {@code -}; times are epoch milliseconds; {@code path} is its values joined by {@code ,}; an
 * empty {@code userAgent} is none.
 *
 * <p>Reading is tolerant line by line and strict about the whole: a line that is damaged
 * (checksum, field count, a number), truncated (no end of line), of a user no longer configured,
 * or a duplicate is skipped and reported, and the others load; expired bindings are dropped. A
 * file that is not a bindings file at all is a {@link BindingFileException}.
 *
 * <p>Not thread-safe: used by the registrar thread only.
 */
public final class BindingFile {
    static final String HEADER = "tandem-bindings 1";
    private static final int FIELDS = 12;

    /**
     * What a load found.
     *
     * @param skipped one line per binding not loaded and why, for the log
     * @param expired bindings that lapsed while the gateway was down (dropped silently)
     */
    public record Loaded(List<Binding> bindings, List<String> skipped, int expired) {
        public Loaded {
            bindings = List.copyOf(bindings);
            skipped = List.copyOf(skipped);
        }
    }

    private final Path path;

    public BindingFile(Path path) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** Writes {@code bindings} as the whole file, atomically; the old file stays on failure. */
    public void save(Collection<Binding> bindings) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Binding x : bindings) {
            String body = String.join("\t", enc(x.user()), enc(x.contactUri()),
                    x.qMillis() < 0 ? "-" : Integer.toString(x.qMillis()), Long.toString(x.expiresAtMillis()),
                    Long.toString(x.registeredAtMillis()), enc(x.callId()), Long.toString(x.cseq()),
                    enc(x.flow().transport()), enc(x.flow().host()), Integer.toString(x.flow().port()),
                    String.join(",", x.path().stream().map(BindingFile::enc).toList()),
                    x.userAgent() == null ? "" : enc(x.userAgent()));
            b.append(crc(body)).append('\t').append(body).append('\n');
        }
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ownerOnly(tmp);
                ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // the data is on disk before the rename makes it the file
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + path + " atomically (" + e.getMessage() + ")", e);
            }
            syncDirectory(dir); // the rename itself survives a power cut
        } catch (IOException e) {
            IOException failed = new IOException("saving bindings to " + path + " failed: " + e, e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                failed.addSuppressed(cleanup);
            }
            throw failed;
        }
    }

    /**
     * Reads the file of the last run. No file is an empty result (first start).
     *
     * @param nowMillis bindings lapsed by then are dropped
     * @param users bindings of users no longer configured are skipped, and a user's bindings are
     *     cut to its {@code max_contacts} (most preferred kept) if that was lowered
     */
    public Loaded load(long nowMillis, UserDirectory users) throws BindingFileException {
        if (!Files.exists(path)) {
            return new Loaded(List.of(), List.of(), 0);
        }
        String text;
        try {
            text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BindingFileException("cannot read bindings file " + path + ": " + e, e);
        }
        int firstEnd = text.indexOf('\n');
        String first = firstEnd < 0 ? text : text.substring(0, firstEnd);
        if (!first.equals(HEADER)) {
            throw new BindingFileException("bindings file " + path + (text.isEmpty() ? " is empty"
                    : first.startsWith("tandem-bindings ") ? " is of version '" + first.substring(16)
                            + "'; this Tandem reads version 1" : " is not a Tandem bindings file: its first"
                            + " line is '" + shorten(first) + "'") + " (expected the line '" + HEADER + "')");
        }
        List<String> skipped = new ArrayList<>();
        Map<String, List<Binding>> byUser = new HashMap<>();
        Map<Binding, Integer> lineOf = new HashMap<>();
        int expired = 0;
        String[] lines = text.substring(firstEnd + 1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 2;
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (last && line.isEmpty()) {
                break; // the end of the final line
            }
            if (last) {
                skipped.add("line " + lineNo + ": truncated (no end of line), skipped");
                break;
            }
            Binding b;
            try {
                b = parse(line);
            } catch (IllegalArgumentException e) {
                skipped.add("line " + lineNo + ": " + e.getMessage() + ", skipped");
                continue;
            }
            if (!b.isLive(nowMillis)) {
                expired++;
                continue;
            }
            if (users.byName(b.user()).isEmpty()) {
                skipped.add("line " + lineNo + ": user " + b.user() + " is no longer configured, skipped");
                continue;
            }
            List<Binding> list = byUser.computeIfAbsent(b.user(), u -> new ArrayList<>());
            ContactUri uri = b.uri();
            Binding twin = list.stream().filter(o -> o.sameContactAs(uri)).findFirst().orElse(null);
            if (twin != null) {
                boolean newer = b.registeredAtMillis() > twin.registeredAtMillis();
                skipped.add("line " + lineNo + ": same contact of user " + b.user() + " as line "
                        + lineOf.get(twin) + ", " + (newer ? "kept this one" : "kept that one"));
                if (!newer) {
                    continue;
                }
                list.remove(twin);
            }
            list.add(b);
            lineOf.put(b, lineNo);
        }
        List<Binding> out = new ArrayList<>();
        byUser.forEach((user, list) -> {
            list.sort(Binding.PREFERENCE);
            int max = users.byName(user).map(UserConfig::maxContacts).orElse(list.size());
            if (list.size() > max) {
                skipped.add(user + ": " + list.size() + " bindings but max_contacts is " + max + ", kept the "
                        + max + " most preferred");
            }
            out.addAll(list.subList(0, Math.min(max, list.size())));
        });
        return new Loaded(out, skipped, expired);
    }

    /**
     * Moves an unreadable file aside as {@code NAME.corrupt-EPOCHMILLIS}, so that the next save
     * does not destroy what an operator may want to look at. Returns the new name.
     */
    public Path quarantine() throws IOException {
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + System.currentTimeMillis());
        Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    private static Binding parse(String line) {
        int tab = line.indexOf('\t');
        if (tab != 8) {
            throw new IllegalArgumentException("no checksum");
        }
        String body = line.substring(tab + 1);
        if (!line.substring(0, 8).equalsIgnoreCase(crc(body))) {
            throw new IllegalArgumentException("checksum mismatch (damaged)");
        }
        String[] f = body.split("\t", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException(f.length + " fields, expected " + FIELDS);
        }
        try {
            List<String> path = f[10].isEmpty() ? List.of()
                    : java.util.Arrays.stream(f[10].split(",", -1)).map(BindingFile::dec).toList();
            ContactUri.parse(dec(f[1])); // a binding is only as good as its Contact
            return new Binding(dec(f[0]), dec(f[1]), f[2].equals("-") ? -1 : Integer.parseInt(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), dec(f[5]), Long.parseLong(f[6]),
                    new Flow(dec(f[7]), dec(f[8]), Integer.parseInt(f[9])), path,
                    f[11].isEmpty() ? null : dec(f[11]));
        } catch (RuntimeException e) { // NumberFormatException, a bad flow port or q, an unparsable URI
            throw new IllegalArgumentException("unreadable field (" + e.getMessage() + ")");
        }
    }

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x", c.getValue());
    }

    private static String enc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == ',' || c < 0x20 || c == 0x7f) {
                b.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String dec(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("bad escape in '" + shorten(s) + "'");
                }
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static void ownerOnly(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file system: its defaults apply
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // Linux allows fsync of a directory; where the platform does not, the rename is still
            // atomic, only its durability across a power cut is the file system's to decide
        }
    }
}
