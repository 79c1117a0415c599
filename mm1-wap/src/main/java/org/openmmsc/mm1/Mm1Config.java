package org.openmmsc.mm1;

import static org.openmmsc.core.config.Checks.positive;
import static org.openmmsc.core.config.Checks.range;

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
 * @param notification        what a notification carries and which path (PAP or SMPP) takes it, per number range
 * @param smpp                the SMSC for notifications sent straight over SMPP 3.4
 * @param answerGrace         how long after a GET the MMSC waits for the phone's m-notifyresp-ind or
 *                            m-acknowledge-ind (which say whether the sender may have a delivery
 *                            report) before it counts the message retrieved and reports it (default 10 min)
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
        Ppg ppg,
        Notification notification,
        Smpp smpp,
        Duration answerGrace) {

    public static final int DEFAULT_PORT = 8191;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 300 * 1024;
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");
    public static final List<String> DEFAULT_MSISDN_HEADERS = List.of("X-MSISDN", "X-WAP-Network-Client-MSISDN", "X-Up-Calling-Line-Id");
    public static final List<String> DEFAULT_CONTENT_TYPES = List.of("text/*", "image/*", "audio/*", "video/*", "application/smil",
            "application/vnd.wap.multipart.*", "multipart/*", "text/x-vcard", "text/x-vcalendar");

    public static final Duration DEFAULT_ANSWER_GRACE = Duration.ofMinutes(10);

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
        notification = notification == null ? Notification.defaults() : notification;
        smpp = smpp == null ? Smpp.defaults() : smpp;
        if (notification.uses(Notification.PushPath.SMPP) && smpp.host() == null) {
            throw new ConfigException("notification", "sends notifications over SMPP but smpp.host is not set");
        }
        answerGrace = answerGrace == null ? DEFAULT_ANSWER_GRACE : answerGrace;
        if (answerGrace.isNegative() || answerGrace.isZero() || answerGrace.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigException("answerGrace", "must be positive and at most 1 day, got " + answerGrace);
        }
    }

    /** Without the notification and SMPP sections (PAP only, as before they existed), default answer grace. */
    public Mm1Config(String bindAddress, Integer port, List<String> msisdnHeaders, List<String> trustedGateways, Boolean allowFromOverride,
                     Integer maxMessageBytes, Integer maxRecipients, List<String> allowedContentTypes, String publicBaseUrl, Ppg ppg) {
        this(bindAddress, port, msisdnHeaders, trustedGateways, allowFromOverride, maxMessageBytes, maxRecipients, allowedContentTypes,
                publicBaseUrl, ppg, null, null, null);
    }

    /** With the default answer grace. */
    public Mm1Config(String bindAddress, Integer port, List<String> msisdnHeaders, List<String> trustedGateways, Boolean allowFromOverride,
                     Integer maxMessageBytes, Integer maxRecipients, List<String> allowedContentTypes, String publicBaseUrl, Ppg ppg,
                     Notification notification, Smpp smpp) {
        this(bindAddress, port, msisdnHeaders, trustedGateways, allowFromOverride, maxMessageBytes, maxRecipients, allowedContentTypes,
                publicBaseUrl, ppg, notification, smpp, null);
    }

    public static Mm1Config defaults() {
        return new Mm1Config(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same configuration with other notification and SMPP sections. */
    public Mm1Config withNotification(Notification newNotification, Smpp newSmpp) {
        return new Mm1Config(bindAddress, port, msisdnHeaders, trustedGateways, allowFromOverride, maxMessageBytes, maxRecipients,
                allowedContentTypes, publicBaseUrl, ppg, newNotification, newSmpp, answerGrace);
    }

    /** The same configuration on another port (0: any free one, for tests). */
    public Mm1Config withPort(int newPort) {
        return new Mm1Config(bindAddress, newPort, msisdnHeaders, trustedGateways, allowFromOverride, maxMessageBytes, maxRecipients,
                allowedContentTypes, publicBaseUrl, ppg, notification, smpp, answerGrace);
    }

    /** The same configuration with another answer grace. */
    public Mm1Config withAnswerGrace(Duration grace) {
        return new Mm1Config(bindAddress, port, msisdnHeaders, trustedGateways, allowFromOverride, maxMessageBytes, maxRecipients,
                allowedContentTypes, publicBaseUrl, ppg, notification, smpp, grace);
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

    /**
     * What an m-notification-ind carries besides the mandatory fields, and which path takes it.
     * From and Subject are off by default: with them a notification rarely fits one SMS.
     *
     * @param includeFrom    add From (unless the sender asked to be hidden)
     * @param includeSubject add Subject
     * @param defaultPath    {@code pap} (default) or {@code smpp}
     * @param ranges         number prefixes with their own path; the longest matching prefix wins
     */
    public record Notification(Boolean includeFrom, Boolean includeSubject, String defaultPath, List<Range> ranges) {
        /** How a notification reaches the phone. */
        public enum PushPath { PAP, SMPP }

        public Notification {
            includeFrom = includeFrom != null && includeFrom;
            includeSubject = includeSubject != null && includeSubject;
            defaultPath = (defaultPath == null ? "pap" : defaultPath.strip().toLowerCase(Locale.ROOT));
            pathNamed("defaultPath", defaultPath);
            ranges = ranges == null ? List.of() : List.copyOf(ranges);
            for (int i = 0; i < ranges.size(); i++) {
                if (ranges.get(i) == null) throw new ConfigException("ranges[" + i + "]", "empty entry");
                for (int j = 0; j < i; j++) {
                    if (ranges.get(j).prefix().equals(ranges.get(i).prefix())) {
                        throw new ConfigException("ranges[" + i + "].prefix", "prefix " + ranges.get(i).prefix() + " listed twice");
                    }
                }
            }
        }

        public static Notification defaults() {
            return new Notification(null, null, null, null);
        }

        /** The path for an E.164 number ("+4791…"): the longest matching range, else the default. */
        public PushPath pathFor(String e164) {
            Range best = null;
            for (Range r : ranges) {
                if (e164.startsWith(r.prefix()) && (best == null || r.prefix().length() > best.prefix().length())) best = r;
            }
            return pathNamed("defaultPath", best == null ? defaultPath : best.path());
        }

        public boolean uses(PushPath path) {
            return pathNamed("defaultPath", defaultPath) == path || ranges.stream().anyMatch(r -> pathNamed("path", r.path()) == path);
        }

        static PushPath pathNamed(String key, String name) {
            return switch (name) {
                case "pap" -> PushPath.PAP;
                case "smpp" -> PushPath.SMPP;
                default -> throw new ConfigException(key, "must be pap or smpp, got " + name);
            };
        }

        /**
         * @param prefix E.164 prefix with its +, e.g. "+4791"
         * @param path   {@code pap} or {@code smpp}
         */
        public record Range(String prefix, String path) {
            public Range {
                if (prefix == null || !prefix.strip().matches("\\+[0-9]{1,15}")) {
                    throw new ConfigException("prefix", "must be + and 1-15 digits, got " + prefix);
                }
                prefix = prefix.strip();
                if (path == null) throw new ConfigException("path", "must be pap or smpp");
                path = path.strip().toLowerCase(Locale.ROOT);
                pathNamed("path", path);
            }
        }
    }

    /**
     * The SMSC that takes notifications as WAP Push SMS over SMPP 3.4 (one transceiver bind).
     * Without {@code host} there is no SMPP path.
     *
     * @param host                SMSC host name or address
     * @param port                SMSC port (default 2775)
     * @param systemId            bind system_id (required with host; at most 15 characters)
     * @param password            bind password (at most 8 characters)
     * @param systemType          bind system_type (default empty; at most 12 characters)
     * @param window              submit_sm's awaiting their response at once (default 10)
     * @param throughput          submit_sm's per second at most (default 50)
     * @param enquireLinkInterval idle time after which enquire_link checks the link (default 30 s)
     * @param reconnectDelay      first wait before binding again after a failed bind or a lost link (default 1 s)
     * @param reconnectMaxDelay   the wait doubles up to this (default 60 s)
     * @param responseTimeout     wait for bind_resp and submit_sm_resp (default 10 s)
     * @param throttleBackoff     pause after ESME_RTHROTTLED / ESME_RMSGQFUL, also the retry-after of that attempt (default 5 s)
     * @param sourceAddress       source_addr of the pushes (default empty: the SMSC fills it)
     * @param sourceTon           source_addr_ton (default 0 unknown)
     * @param sourceNpi           source_addr_npi (default 0 unknown)
     * @param requestReceipts     ask for SMSC delivery receipts, registered_delivery 1 (default true)
     * @param serviceType         service_type (default empty; at most 5 characters)
     */
    public record Smpp(String host, Integer port, String systemId, String password, String systemType, Integer window, Integer throughput,
                       Duration enquireLinkInterval, Duration reconnectDelay, Duration reconnectMaxDelay, Duration responseTimeout,
                       Duration throttleBackoff, String sourceAddress, Integer sourceTon, Integer sourceNpi, Boolean requestReceipts,
                       String serviceType) {
        public static final int DEFAULT_PORT = 2775;

        public Smpp {
            host = host == null || host.isBlank() ? null : host.strip();
            if (host != null && !host.matches("[A-Za-z0-9.:\\[\\]-]+")) throw new ConfigException("host", "not a host name or address: " + host);
            port = range("port", port, DEFAULT_PORT, 1, 65535);
            if (host != null && (systemId == null || systemId.isEmpty())) throw new ConfigException("systemId", "required with smpp.host");
            systemId = text("systemId", systemId, 15);
            password = text("password", password, 8);
            systemType = text("systemType", systemType, 12);
            window = range("window", window, 10, 1, 1000);
            throughput = range("throughput", throughput, 50, 1, 100_000);
            enquireLinkInterval = positive("enquireLinkInterval", enquireLinkInterval, Duration.ofSeconds(30));
            reconnectDelay = positive("reconnectDelay", reconnectDelay, Duration.ofSeconds(1));
            reconnectMaxDelay = positive("reconnectMaxDelay", reconnectMaxDelay, Duration.ofSeconds(60));
            if (reconnectMaxDelay.compareTo(reconnectDelay) < 0) {
                throw new ConfigException("reconnectMaxDelay", "must not be shorter than reconnectDelay (" + reconnectDelay + ")");
            }
            responseTimeout = positive("responseTimeout", responseTimeout, Duration.ofSeconds(10));
            throttleBackoff = positive("throttleBackoff", throttleBackoff, Duration.ofSeconds(5));
            sourceAddress = text("sourceAddress", sourceAddress, 20);
            sourceTon = range("sourceTon", sourceTon, 0, 0, 6);
            sourceNpi = range("sourceNpi", sourceNpi, 0, 0, 18);
            if (!List.of(0, 1, 3, 4, 6, 8, 9, 10, 14, 18).contains(sourceNpi)) {
                throw new ConfigException("sourceNpi", "not an SMPP NPI (0, 1, 3, 4, 6, 8, 9, 10, 14, 18): " + sourceNpi);
            }
            requestReceipts = requestReceipts == null || requestReceipts;
            serviceType = text("serviceType", serviceType, 5);
        }

        public static Smpp defaults() {
            return new Smpp(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** A lab SMSC on loopback, for tests: short timers so reconnects and retries happen within seconds. */
        public static Smpp loopback(int port, String systemId, String password) {
            return new Smpp("127.0.0.1", port, systemId, password, null, null, null, Duration.ofSeconds(5), Duration.ofMillis(200),
                    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(500), null, null, null, null, null);
        }

        /** SMPP C-Octet Strings: printable ASCII within the field's size (less its NUL). */
        private static String text(String key, String value, int max) {
            String v = value == null ? "" : value;
            if (v.length() > max) throw new ConfigException(key, "at most " + max + " characters in SMPP, got " + v.length());
            if (!v.matches("[\\x20-\\x7E]*")) throw new ConfigException(key, "must be printable ASCII");
            return v;
        }
    }
}
