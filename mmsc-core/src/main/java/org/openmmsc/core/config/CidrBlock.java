package org.openmmsc.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address block ("10.0.0.0/8", "2001:db8::/32", or a single address), for access
 * rules in configuration: trusted WAP gateways, VASP source addresses, MM4 peers. Only numeric
 * addresses are accepted, so reading a configuration never triggers a DNS look-up.
 */
public record CidrBlock(byte[] network, int prefixLength) {

    public CidrBlock {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("network must be 4 or 16 bytes");
        if (prefixLength < 0 || prefixLength > network.length * 8) throw new IllegalArgumentException("bad prefix length " + prefixLength);
        network = network.clone();
    }

    /** Parses "address/length" or a bare address (a block of one). */
    public static CidrBlock parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty address block");
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!address.matches("[0-9A-Fa-f:.]+") || !(address.contains(".") || address.contains(":"))) {
            throw new IllegalArgumentException("not a numeric IP address or CIDR block: " + text);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address or CIDR block: " + text);
        }
        int length;
        try {
            length = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + text);
        }
        if (length < 0 || length > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length must be 0-" + bytes.length * 8 + " in " + text);
        }
        return new CidrBlock(bytes, length);
    }

    public boolean contains(InetAddress address) {
        if (address == null) return false;
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
            if (a.length == 16 && network.length == 4 && isMappedIpv4(a)) a = Arrays.copyOfRange(a, 12, 16);
            else return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** True if any of the blocks contains the address. */
    public static boolean anyContains(Iterable<CidrBlock> blocks, InetAddress address) {
        for (CidrBlock b : blocks) if (b.contains(address)) return true;
        return false;
    }

    private static boolean isMappedIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("validated at construction", e);
        }
    }
}
