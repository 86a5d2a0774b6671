package org.tandem.testing.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the system's {@code openssl} (EC P-256 keys, PKCS#8 PEM):
 * a test CA, a second unrelated CA, and leaf certificates signed by either. Nothing is checked in;
 * every run has fresh keys in its own directory.
 */
public final class TestPki {
    private final Path dir;

    /** A PEM certificate file and its PKCS#8 key file. */
    public record Pair(Path certificate, Path key) {
    }

    public TestPki(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A self-signed CA named {@code name}: ca.pem is its certificate, ca.key its key. */
    public Pair ca(String name) throws IOException {
        Pair p = files(name);
        key(p.key());
        openssl("req", "-x509", "-new", "-key", p.key().toString(), "-out", p.certificate().toString(),
                "-days", "2", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return p;
    }

    /**
     * A leaf certificate for {@code subjectAltName} (e.g. {@code IP:127.0.0.1} or
     * {@code DNS:gw.example}) signed by {@code ca}, usable as TLS server and client.
     */
    public Pair leaf(String name, String subjectAltName, Pair ca) throws IOException {
        Pair p = files(name);
        key(p.key());
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=" + subjectAltName + "\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n", StandardCharsets.US_ASCII);
        openssl("req", "-new", "-key", p.key().toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.certificate().toString(), "-CAkey",
                ca.key().toString(), "-CAcreateserial", "-out", p.certificate().toString(), "-days", "2",
                "-extfile", ext.toString());
        return p;
    }

    private Pair files(String name) {
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private void key(Path key) throws IOException {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl did not finish in 30 s: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + cmd, e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("openssl failed (" + p.exitValue() + "): " + cmd + "\n" + out);
        }
    }
}
