package org.openmmsc.core.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.ReplyCharging;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.TimeSpec;

/**
 * Sample messages and deliveries for store tests, shared through core's test-jar. Every field of
 * {@link Message} is set to a non-default value somewhere, so a store that drops one fails.
 */
public final class TestMessages {
    /** A fixed, whole-second-free instant: nanos catch stores that truncate time. */
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    public static final Duration VALIDITY = Duration.ofDays(2);

    private TestMessages() {}

    /** A message with every optional field set, a multipart body of {@code bodySize} random bytes plus a text part. */
    public static Message fullMessage(Clock clock, int recipients, int bodySize, long seed) {
        Random random = new Random(seed);
        byte[] image = new byte[bodySize];
        random.nextBytes(image);
        byte[] smil = "<smil><body><par><img src=\"cid:image\"/><text src=\"cid:text\"/></par></body></smil>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] text = ("Hei på deg " + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> rootParams = new LinkedHashMap<>();
        rootParams.put("type", "application/smil");
        rootParams.put("start", "<smil>");
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.of("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")), smil),
                new MessagePart(new ContentType("image/jpeg", Map.of("name", "photo " + seed + ".jpg")),
                        List.of(new MessagePart.Header("Content-ID", "<image>"),
                                new MessagePart.Header("Content-Location", "photo.jpg")), image),
                new MessagePart(new ContentType("text/plain", Map.of("charset", "utf-8")),
                        List.of(new MessagePart.Header("Content-ID", "<text>")), text),
                new MessagePart(ContentType.of("text/plain"), List.of(), new byte[0]));
        return new Message(
                MessageId.generate(clock),
                Address.plmn("+4790000001"),
                recipientList(recipients),
                new EncodedText("Ferie – bilder " + seed, "UTF-8"),
                MessageClass.INFORMATIONAL,
                Priority.HIGH,
                clock.instant(),
                TimeSpec.after(Duration.ofHours(36).plusNanos(7)),
                TimeSpec.at(clock.instant().plusSeconds(60)),
                true,
                true,
                true,
                new ReplyCharging(ReplyCharging.Mode.REQUESTED, TimeSpec.after(Duration.ofDays(1)), 2048L, "rc-" + seed),
                new ContentType("application/vnd.wap.multipart.related", rootParams),
                parts,
                new Origin(Interface.MM7, "vasp-1", "tx-" + seed, "vasp-1", "vas-9", "svc-42", "linked-7", null, "orig-" + seed),
                org.openmmsc.core.model.ChargedParty.THIRD_PARTY, false);
    }

    /** The smallest message: one recipient, one text part of {@code bodySize} bytes, no optional fields. */
    public static Message simpleMessage(Clock clock, int recipients, int bodySize) {
        byte[] body = new byte[bodySize];
        new Random(bodySize).nextBytes(body);
        return new Message(MessageId.generate(clock), Address.plmn("+4790000002"), recipientList(recipients), null, null, null,
                clock.instant(), null, null, false, false, false, null, ContentType.of("text/plain"),
                List.of(new MessagePart(ContentType.of("text/plain"), List.of(), body)),
                Origin.of(Interface.MM1, "+4790000002", "tx"));
    }

    /** Recipients of mixed address types and header kinds, in a fixed order. */
    public static List<Recipient> recipientList(int count) {
        List<Recipient> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Recipient recipient = switch (i % 3) {
                case 0 -> Recipient.to(Address.plmn("+47910" + String.format("%05d", i)));
                case 1 -> new Recipient(Address.email("user" + i + "@Example.COM"), Recipient.Kind.CC);
                default -> new Recipient(Address.shortCode(String.valueOf(1000 + i)), Recipient.Kind.BCC);
            };
            list.add(recipient);
        }
        return list;
    }

    /** One accepted delivery per recipient, first attempt at {@code firstAttemptAt}, expiring after {@link #VALIDITY}. */
    public static List<RecipientDelivery> deliveries(Message message, Instant firstAttemptAt) {
        List<RecipientDelivery> list = new ArrayList<>();
        for (int i = 0; i < message.recipients().size(); i++) {
            Route route = switch (i % 3) {
                case 0 -> Route.local();
                case 1 -> new Route(RouteKind.EMAIL_MM3, "example.com");
                default -> new Route(RouteKind.VASP_MM7, "vasp-1");
            };
            list.add(RecipientDelivery.accepted(message.id(), i, message.recipients().get(i), route,
                    message.date(), firstAttemptAt, message.date().plus(VALIDITY)));
        }
        return list;
    }

    /** Deliveries whose first attempt is due at the message's date. */
    public static List<RecipientDelivery> deliveries(Message message) {
        return deliveries(message, message.date());
    }
}
