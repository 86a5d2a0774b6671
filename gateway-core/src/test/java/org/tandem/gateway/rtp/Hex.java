package org.tandem.gateway.rtp;

import java.nio.ByteBuffer;

/** Annotated hex fixtures: everything after '#' on a line is a comment; whitespace is ignored. */
final class Hex {
    private Hex() {
    }

    static ByteBuffer buffer(String annotated) {
        StringBuilder hex = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int hash = line.indexOf('#');
            hex.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 8);
        b.put(4, bytes);
        return b;
    }

    static int length(String annotated) {
        return (buffer(annotated).capacity() - 8);
    }
}
