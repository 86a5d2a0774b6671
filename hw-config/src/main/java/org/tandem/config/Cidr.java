package org.tandem.config;

import java.net.InetAddress;

/** An address block (with {@code text} as written) such as {@code 127.0.0.0/8} or {@code ::1/128}; a bare address is a /32 or /128. */
public record Cidr(String text, InetAddress network, int prefixLength) {

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits = prefixLength;
        for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
