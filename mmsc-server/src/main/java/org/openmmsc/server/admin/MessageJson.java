package org.openmmsc.server.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.DeliveryEvent;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.core.relay.Routing;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API's JSON documents: the operator's trace of a message, the answer to an injection,
 * message listings and errors. Content bytes never appear; parts are described by type, headers
 * and size. Addresses are written as their canonical value ({@code +4790000001}, {@code user@host}).
 */
public final class MessageJson {
    private final JsonMapper json = JsonMapper.builder().build();

    public byte[] error(String reason, String field) {
        ObjectNode node = json.createObjectNode();
        node.put("error", reason);
        if (field != null) node.put("field", field);
        return bytes(node);
    }

    public byte[] status(String status) {
        ObjectNode node = json.createObjectNode();
        node.put("status", status);
        return bytes(node);
    }

    /** 201/200 answer to an injection: the id, and which recipients will be delivered and which were refused. */
    public byte[] accepted(MessageId id, boolean duplicate, Routing routing) {
        ObjectNode node = json.createObjectNode();
        node.put("messageId", id.value());
        node.put("duplicate", duplicate);
        if (routing != null) {
            ArrayNode deliveries = node.putArray("deliveries");
            for (Routing.Routed r : routing.routed()) {
                ObjectNode d = deliveries.addObject();
                d.put("recipient", r.recipient().address().value());
                putRoute(d, r.route());
            }
            refusals(node.putArray("refused"), routing.refused());
        }
        return bytes(node);
    }

    /** 422 answer: nothing was stored because no recipient can be reached. */
    public byte[] noneRoutable(Routing routing) {
        ObjectNode node = json.createObjectNode();
        node.put("error", "no recipient is routable");
        node.put("field", "to");
        refusals(node.putArray("refused"), routing.refused());
        return bytes(node);
    }

    public byte[] messageIds(List<MessageId> ids, MessageId next) {
        ObjectNode node = json.createObjectNode();
        ArrayNode array = node.putArray("messageIds");
        for (MessageId id : ids) array.add(id.value());
        node.put("next", next == null ? null : next.value());
        return bytes(node);
    }

    /** The operator's trace: the message's headers and every recipient delivery with its history. */
    public byte[] trace(Message m, List<RecipientDelivery> deliveries) {
        ObjectNode node = json.createObjectNode();
        node.put("id", m.id().value());
        node.put("from", m.originator().value());
        node.set("to", addresses(m.recipients(), Recipient.Kind.TO));
        node.set("cc", addresses(m.recipients(), Recipient.Kind.CC));
        node.set("bcc", addresses(m.recipients(), Recipient.Kind.BCC));
        node.put("subject", m.subject() == null ? null : m.subject().text());
        node.put("subjectCharset", m.subject() == null ? null : m.subject().charset());
        node.put("messageClass", lower(m.messageClass()));
        node.put("priority", lower(m.priority()));
        node.put("date", instant(m.date()));
        node.put("expiry", timeSpec(m.expiry()));
        node.put("earliestDelivery", timeSpec(m.earliestDelivery()));
        node.put("deliveryReport", m.deliveryReportRequested());
        node.put("readReport", m.readReportRequested());
        node.put("senderHidden", m.senderHidden());
        if (m.replyCharging() != null) {
            ObjectNode rc = node.putObject("replyCharging");
            rc.put("mode", m.replyCharging().mode().name());
            rc.put("deadline", timeSpec(m.replyCharging().deadline()));
            if (m.replyCharging().maxSize() != null) rc.put("maxSize", m.replyCharging().maxSize());
            rc.put("replyChargingId", m.replyCharging().replyChargingId());
        }
        node.put("contentType", m.contentType().toString());
        node.put("size", m.contentSize());
        origin(node.putObject("origin"), m.origin());
        ArrayNode parts = node.putArray("parts");
        for (MessagePart p : m.parts()) {
            ObjectNode part = parts.addObject();
            part.put("contentType", p.contentType().toString());
            ObjectNode headers = part.putObject("headers");
            for (MessagePart.Header h : p.headers()) headers.put(h.name(), h.value());
            part.put("size", p.size());
        }
        ArrayNode array = node.putArray("deliveries");
        for (RecipientDelivery d : deliveries) delivery(array.addObject(), d);
        return bytes(node);
    }

    private void delivery(ObjectNode node, RecipientDelivery d) {
        node.put("recipientIndex", d.recipientIndex());
        node.put("recipient", d.recipient().address().value());
        node.put("kind", lower(d.recipient().kind()));
        putRoute(node, d.route());
        node.put("state", d.state().name());
        node.put("recipientStatus", d.recipientStatus().name());
        node.put("attempts", d.attempts());
        node.put("nextAttemptAt", instant(d.nextAttemptAt()));
        node.put("expiresAt", instant(d.expiresAt()));
        node.put("lastError", d.lastError());
        node.put("fence", d.fence());
        if (d.lease() == null) {
            node.putNull("lease");
        } else {
            ObjectNode lease = node.putObject("lease");
            lease.put("owner", d.lease().owner());
            lease.put("until", instant(d.lease().until()));
        }
        ArrayNode history = node.putArray("history");
        for (DeliveryEvent e : d.history()) {
            ObjectNode line = history.addObject();
            line.put("at", instant(e.at()));
            line.put("from", e.from() == null ? null : e.from().name());
            line.put("to", e.to().name());
            line.put("recipientStatus", e.recipientStatus().name());
            line.put("detail", e.detail());
        }
    }

    private static void origin(ObjectNode node, Origin o) {
        node.put("interface", o.iface().name());
        putIfSet(node, "authenticatedSender", o.authenticatedSender());
        putIfSet(node, "transactionId", o.transactionId());
        putIfSet(node, "vaspId", o.vaspId());
        putIfSet(node, "vasId", o.vasId());
        putIfSet(node, "serviceCode", o.serviceCode());
        putIfSet(node, "linkedId", o.linkedId());
        putIfSet(node, "originatorSystem", o.originatorSystem());
        putIfSet(node, "originatorMessageId", o.originatorMessageId());
    }

    private void refusals(ArrayNode array, List<Routing.Refused> refused) {
        for (Routing.Refused r : refused) {
            ObjectNode item = array.addObject();
            item.put("recipient", r.recipient().address().value());
            item.put("reason", r.reason().name());
            item.put("detail", r.detail());
        }
    }

    private static void putRoute(ObjectNode node, Route route) {
        node.put("route", route.kind().name());
        if (!route.target().isEmpty()) node.put("routeTarget", route.target());
    }

    private ArrayNode addresses(List<Recipient> recipients, Recipient.Kind kind) {
        ArrayNode array = json.createArrayNode();
        for (Recipient r : recipients) if (r.kind() == kind) array.add(address(r.address()));
        return array;
    }

    private static String address(Address a) {
        return a.value();
    }

    /** Written in the form a request takes: an ISO-8601 duration if relative, a date-time if absolute. */
    private static String timeSpec(TimeSpec spec) {
        return switch (spec) {
            case null -> null;
            case TimeSpec.Absolute a -> instant(a.at());
            case TimeSpec.Relative r -> r.after().toString();
        };
    }

    private static String instant(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    private static void putIfSet(ObjectNode node, String name, String value) {
        if (value != null) node.put(name, value);
    }

    private byte[] bytes(ObjectNode node) {
        return json.writeValueAsBytes(node);
    }
}
