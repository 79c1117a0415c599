package org.openmmsc.mm1.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.LoggingChargingEvents;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.spi.RouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Parameter;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WspHeader;

/** A relay on an in-memory store with an MM1 service in front, and builders for the PDUs a phone posts. */
public final class Mm1Fixture {
    public static final String ALICE = "+4790000001";
    public static final String BOB = "+4790000002";
    public static final String CAROL = "+4790000003";

    public final Clock clock;
    public final InMemoryMessageStore store;
    public final NumberNormalizer numbers = NumberingConfig.defaults().normalizer();
    public final Relay relay;
    public final ContentTokens tokens = new ContentTokens("fixture-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final Mm1Service service;

    public Mm1Fixture() {
        this(Mm1Config.defaults());
    }

    public Mm1Fixture(Mm1Config config) {
        this(config, Clock.systemUTC(), new StaticRouteResolver(RoutingConfig.defaults()));
    }

    /** With a test clock (expiry) or a routing choice (short codes as local subscribers). */
    public Mm1Fixture(Mm1Config config, Clock clock, RouteResolver routes) {
        this.clock = clock;
        this.store = new InMemoryMessageStore(clock);
        this.relay = new Relay(store, routes, RelayConfig.defaults(), clock, new LoggingChargingEvents(), List.of(), new SimpleMeterRegistry());
        service = new Mm1Service(config, relay, store, numbers, tokens, meters);
        service.baseUrl("http://127.0.0.1:8191");
    }

    /** An m-send-req with a SMIL-less multipart/related body of a text and a small "image". */
    public static SendReqBuilder sendReq(String tid) {
        return new SendReqBuilder(tid);
    }

    public static final class SendReqBuilder {
        private final String tid;
        private HeaderValue.From from = new HeaderValue.From(null);
        private final List<String[]> recipients = new ArrayList<>();
        private int major = 1;
        private int minor = 2;
        private boolean hideSender;
        private boolean deliveryReport;
        private boolean readReport;
        private String partType = "image/jpeg";
        private int imageSize = 64;

        SendReqBuilder(String tid) {
            this.tid = tid;
        }

        public SendReqBuilder from(String address) {
            this.from = new HeaderValue.From(org.openmmsc.mm1.codec.EncodedString.of(address));
            return this;
        }

        public SendReqBuilder to(String number) {
            recipients.add(new String[] {"to", number});
            return this;
        }

        public SendReqBuilder cc(String number) {
            recipients.add(new String[] {"cc", number});
            return this;
        }

        public SendReqBuilder bcc(String number) {
            recipients.add(new String[] {"bcc", number});
            return this;
        }

        public SendReqBuilder majorVersion(int major) {
            this.major = major;
            return this;
        }

        /** X-Mms-MMS-Version of the request (default 1.2). */
        public SendReqBuilder version(int major, int minor) {
            this.major = major;
            this.minor = minor;
            return this;
        }

        public SendReqBuilder hideSender() {
            this.hideSender = true;
            return this;
        }

        public SendReqBuilder deliveryReport() {
            this.deliveryReport = true;
            return this;
        }

        public SendReqBuilder readReport() {
            this.readReport = true;
            return this;
        }

        public SendReqBuilder part(String mediaType, int size) {
            this.partType = mediaType;
            this.imageSize = size;
            return this;
        }

        public MmsPdu.SendReq build() {
            MmsHeaders.Builder h = MmsHeaders.builder().text(MmsField.TRANSACTION_ID, tid).version(major, minor).add(MmsField.FROM, from);
            for (String[] r : recipients) {
                MmsField field = switch (r[0]) { case "cc" -> MmsField.CC; case "bcc" -> MmsField.BCC; default -> MmsField.TO; };
                h.encoded(field, r[1] + "/TYPE=PLMN");
            }
            h.encoded(MmsField.SUBJECT, "Holiday");
            if (deliveryReport) h.token(MmsField.DELIVERY_REPORT, 0x80);
            if (readReport) h.token(MmsField.READ_REPORT, 0x80);
            if (hideSender) h.token(MmsField.SENDER_VISIBILITY, 0x80);
            h.add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of(ContentType.MULTIPART_MIXED)));
            byte[] image = new byte[imageSize];
            for (int i = 0; i < image.length; i++) image[i] = (byte) (i * 7);
            MessageBody body = new MessageBody.Multipart(List.of(
                    Part.of(ContentType.of("text/plain", Parameter.of("charset", "utf-8")),
                            ByteSlice.wrap("Greetings from Tromsø".getBytes(StandardCharsets.UTF_8)), WspHeader.contentId("<text1>")),
                    Part.of(ContentType.of(partType), ByteSlice.wrap(image), WspHeader.contentLocation("photo.jpg"))));
            return new MmsPdu.SendReq(h.build(), body);
        }

        public byte[] encode() {
            return new MmsEncoder().encode(build());
        }
    }
}
