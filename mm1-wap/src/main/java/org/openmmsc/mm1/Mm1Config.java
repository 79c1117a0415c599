package org.openmmsc.mm1;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.core.config.ConfigException;

/**
 * The {@code mm1} section: the HTTP listener phones reach through the WAP gateway, how the
 * subscriber is identified, submission limits, and the Push Proxy Gateway that carries
 * notifications. Every key is optional; null means the default. Documented in docs/configuration.md.
 *
 * @param bindAddress         listener address (default 127.0.0.1)
 * @param port                listener port (default 8191; 0 picks a free one, for tests)
 * @param msisdnHeaders       HTTP headers the WAP gateway puts the subscriber's number in, first present wins
 * @param trustedGateways     source networks (CIDR blocks) whose identity headers are believed; default loopback
 * @param allowFromOverride   accept an explicit From naming someone other than the identified subscriber
 * @param maxMessageBytes     largest m-send-req accepted (default 300 KB)
 * @param maxRecipients       most To+Cc+Bcc recipients per message (default 20)
 * @param allowedContentTypes media types accepted in a message, "type/*" wildcards allowed
 * @param publicBaseUrl       what phones fetch content from (Content-Location prefix); default http://bind:port
 * @param ppg                 the PAP 2.0 Push Proxy Gateway for notifications
 */
public record Mm1Config(
        String bindAddress,
        Integer port,
        List<String> msisdnHeaders,
        List<String> trustedGateways,
        Boolean allowFromOverride,
        Integer maxMessageBytes,
        Integer maxRecipients,
        List<String> allowedContentTypes,
        String publicBaseUrl,
        Ppg ppg) {

    public static final int DEFAULT_PORT = 8191;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 300 * 1024;
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");
    public static final List<String> DEFAULT_MSISDN_HEADERS = List.of("X-MSISDN", "X-WAP-Network-Client-MSISDN", "X-Up-Calling-Line-Id");
    public static final List<String> DEFAULT_CONTENT_TYPES = List.of("text/*", "image/*", "audio/*", "video/*", "application/smil",
            "application/vnd.wap.multipart.*", "multipart/*", "text/x-vcard", "text/x-vcalendar");

    public Mm1Config {
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress.strip();
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) throw new ConfigException("port", "must be 0-65535, got " + port);
        msisdnHeaders = msisdnHeaders == null ? DEFAULT_MSISDN_HEADERS : List.copyOf(msisdnHeaders);
        if (msisdnHeaders.isEmpty()) throw new ConfigException("msisdnHeaders", "name at least one header");
        for (String h : msisdnHeaders) {
            if (h == null || !h.matches("[A-Za-z0-9-]+")) throw new ConfigException("msisdnHeaders", "not a header name: " + h);
        }
        trustedGateways = trustedGateways == null ? LOOPBACK : List.copyOf(trustedGateways);
        for (int i = 0; i < trustedGateways.size(); i++) {
            try {
                CidrBlock.parse(trustedGateways.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("trustedGateways[" + i + "]", e.getMessage());
            }
        }
        allowFromOverride = allowFromOverride != null && allowFromOverride;
        maxMessageBytes = maxMessageBytes == null ? DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes;
        if (maxMessageBytes < 1024 || maxMessageBytes > 64 * 1024 * 1024) {
            throw new ConfigException("maxMessageBytes", "must be between 1024 and 67108864, got " + maxMessageBytes);
        }
        maxRecipients = maxRecipients == null ? 20 : maxRecipients;
        if (maxRecipients < 1 || maxRecipients > 1000) throw new ConfigException("maxRecipients", "must be 1-1000, got " + maxRecipients);
        allowedContentTypes = allowedContentTypes == null ? DEFAULT_CONTENT_TYPES
                : allowedContentTypes.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
        for (String t : allowedContentTypes) {
            if (!t.matches("[a-z0-9.+-]+/([a-z0-9.+-]+\\*?|\\*)") && !t.matches("[a-z0-9.+-]+/[a-z0-9.+-]*\\*")) {
                throw new ConfigException("allowedContentTypes", "not a media type or type/* pattern: " + t);
            }
        }
        if (publicBaseUrl != null) {
            publicBaseUrl = publicBaseUrl.strip();
            while (publicBaseUrl.endsWith("/")) publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
            if (!publicBaseUrl.matches("https?://[^/\\s]+(/[^\\s]*)?")) throw new ConfigException("publicBaseUrl", "not an http(s) URL: " + publicBaseUrl);
        }
        ppg = ppg == null ? Ppg.defaults() : ppg;
    }

    public static Mm1Config defaults() {
        return new Mm1Config(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same configuration on another port (0: any free one, for tests). */
    public Mm1Config withPort(int newPort) {
        return new Mm1Config(bindAddress, newPort, msisdnHeaders, trustedGateways, allowFromOverride, maxMessageBytes, maxRecipients,
                allowedContentTypes, publicBaseUrl, ppg);
    }

    /** The Content-Location prefix, given the port the listener really got. */
    public String baseUrl(int boundPort) {
        if (publicBaseUrl != null) return publicBaseUrl;
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        return "http://" + host + ":" + boundPort;
    }

    public boolean allows(String mediaType) {
        String m = mediaType.toLowerCase(Locale.ROOT);
        for (String pattern : allowedContentTypes) {
            if (pattern.endsWith("*") ? m.startsWith(pattern.substring(0, pattern.length() - 1)) : m.equals(pattern)) return true;
        }
        return false;
    }

    /**
     * The Push Proxy Gateway (PAP 2.0 over HTTP). Without {@code url} no notification can be sent:
     * local deliveries wait and retry until one is configured.
     *
     * @param url      PAP URL, e.g. http://127.0.0.1:18080/wappush
     * @param user     HTTP Basic user (sent up front; Kannel's failed-login back-off never resets)
     * @param password HTTP Basic password
     * @param domain   the PPG domain in the PAP address WAPPUSH=+47…/TYPE=PLMN@domain
     * @param timeout  connect and answer timeout (default 10 s)
     */
    public record Ppg(String url, String user, String password, String domain, Duration timeout) {
        public Ppg {
            if (url != null) {
                URI uri;
                try {
                    uri = URI.create(url.strip());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("ppg.url", "not a URL: " + url);
                }
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null) throw new ConfigException("ppg.url", "must be an http:// URL, got " + url);
                url = uri.toString();
            }
            if ((user == null) != (password == null)) throw new ConfigException("ppg.user", "user and password go together");
            domain = domain == null || domain.isBlank() ? "ppg.localdomain" : domain.strip();
            if (!domain.matches("[A-Za-z0-9.-]+")) throw new ConfigException("ppg.domain", "not a domain: " + domain);
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
            if (timeout.isNegative() || timeout.isZero()) throw new ConfigException("ppg.timeout", "must be positive");
        }

        public static Ppg defaults() {
            return new Ppg(null, null, null, null, null);
        }
    }
}
