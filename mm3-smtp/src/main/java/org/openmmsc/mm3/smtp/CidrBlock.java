package org.openmmsc.mm3.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** An IPv4 or IPv6 address block ("10.0.0.0/8", "2001:db8::/32", or a single address). */
public record CidrBlock(byte[] network, int prefixLength) {

    public CidrBlock {
        Objects.requireNonNull(network, "network");
        if (prefixLength < 0 || prefixLength > network.length * 8) throw new IllegalArgumentException("bad prefix length " + prefixLength);
    }

    /** Parses "address/length" or a bare address; only numeric addresses, so no DNS look-up can happen here. */
    public static CidrBlock parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty address block");
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!address.matches("[0-9A-Fa-f:.]+") || !(address.contains(".") || address.contains(":"))) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        int length;
        try {
            length = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + text);
        }
        if (length < 0 || length > bytes.length * 8) throw new IllegalArgumentException("bad prefix length in " + text);
        return new CidrBlock(bytes, length);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }
}
