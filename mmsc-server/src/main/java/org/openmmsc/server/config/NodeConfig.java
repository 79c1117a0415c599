package org.openmmsc.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.openmmsc.core.config.ConfigException;

/**
 * This MMSC node.
 *
 * @param id        names the node in leases and logs; unique per node sharing a store (default: the host name)
 * @param mmsDomain the operator's MMS domain, used in MM4 addresses and message ids (default mms.lab.local)
 */
public record NodeConfig(String id, String mmsDomain) {
    public NodeConfig {
        id = id == null ? hostName() : id;
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) throw new ConfigException("id", "must be 1-64 letters, digits, '.', '_' or '-', got " + id);
        mmsDomain = mmsDomain == null ? "mms.lab.local" : mmsDomain;
        if (!mmsDomain.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")) {
            throw new ConfigException("mmsDomain", "must be a domain name, got " + mmsDomain);
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return name.isEmpty() ? "node" : name.substring(0, Math.min(64, name.length()));
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    public static NodeConfig defaults() {
        return new NodeConfig(null, null);
    }
}
