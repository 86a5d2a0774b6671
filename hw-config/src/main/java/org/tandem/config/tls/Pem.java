package org.tandem.config.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM files (RFC 7468): certificate chains and bundles ({@code CERTIFICATE} blocks) and one
 * unencrypted PKCS#8 private key ({@code PRIVATE KEY}). The JDK alone, no key store files and no
 * {@code javax.net.ssl.*} system properties. Every failure is a {@link PemException} that names the
 * file, the line of the offending block and what to do about it; key bytes never reach a message.
 *
 * <p>Encrypted keys ({@code ENCRYPTED PRIVATE KEY}) are refused on purpose: the passphrase would
 * have to sit next to the key in the configuration (or the environment) of an unattended daemon,
 * which protects nothing that file permissions (0600, owned by the gateway's user) do not.
 */
public final class Pem {
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private Pem() {
    }

    /** One {@code -----BEGIN label-----} block, with the 1-based line of its BEGIN. */
    record Block(String label, int line, byte[] der) {
    }

    /** Every certificate in the file, in file order (leaf first for a chain); at least one. */
    public static List<X509Certificate> certificates(Path file) throws PemException {
        List<Block> blocks = blocks(file);
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block b : blocks) {
            if (!b.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new PemException(file + " line " + b.line() + ": not a valid X.509 certificate ("
                        + e.getMessage() + ")");
            }
        }
        if (out.isEmpty()) {
            throw new PemException(file + ": no '-----BEGIN CERTIFICATE-----' block"
                    + (blocks.isEmpty() ? "" : " (found " + blocks.get(0).label() + " at line " + blocks.get(0).line() + ")"));
        }
        return out;
    }

    /** The one private key of the file, PKCS#8 ({@code openssl genpkey} writes it). */
    public static PrivateKey privateKey(Path file) throws PemException {
        Block key = null;
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    if (key != null) {
                        throw new PemException(file + " line " + b.line() + ": a second private key (the first is at line "
                                + key.line() + "); one key per file");
                    }
                    key = b;
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new PemException(file + " line " + b.line()
                        + ": the key is encrypted; Tandem reads unencrypted PKCS#8 keys protected by file permissions:"
                        + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.plain; chmod 600 KEY.plain");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw new PemException(file + " line "
                        + b.line() + ": " + b.label() + " is the old OpenSSL format; convert it to PKCS#8: openssl pkcs8"
                        + " -topk8 -nocrypt -in KEY -out KEY.pk8");
                default -> {
                }
            }
        }
        if (key == null) {
            throw new PemException(file + ": no '-----BEGIN PRIVATE KEY-----' block");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(key.der());
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm; try the next
            }
        }
        throw new PemException(file + " line " + key.line() + ": not a PKCS#8 RSA, EC or EdDSA private key");
    }

    /** True when {@code key} signs what {@code publicKey} verifies: the key belongs to the certificate. */
    public static boolean matches(PrivateKey key, PublicKey publicKey) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] probe = "tandem key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(publicKey);
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static List<Block> blocks(Path file) throws PemException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PemException(file + ": not a PEM text file (binary DER? convert with openssl x509 -inform der)");
        } catch (IOException e) {
            throw new PemException("cannot read " + file + ": " + describe(e));
        }
        List<Block> out = new ArrayList<>();
        String label = null;
        int start = 0;
        StringBuilder b64 = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    label = line.substring(11, line.length() - 5);
                    start = i + 1;
                    b64.setLength(0);
                }
            } else if (line.equals("-----END " + label + "-----")) {
                try {
                    out.add(new Block(label, start, Base64.getMimeDecoder().decode(b64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new PemException(file + " line " + start + ": the " + label + " block is not valid base64");
                }
                label = null;
            } else if (line.startsWith("-----")) {
                throw new PemException(file + " line " + (i + 1) + ": '" + line + "' inside the " + label
                        + " block that starts at line " + start);
            } else if (!line.contains(":")) { // RFC 1421 headers (Proc-Type: ...) are skipped
                b64.append(line);
            }
        }
        if (label != null) {
            throw new PemException(file + " line " + start + ": the " + label + " block has no END line");
        }
        return out;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
