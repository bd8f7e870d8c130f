package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorHttp;
import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.sync.VendorText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The EasyAppointments REST API v1 as documented (see shared/sources/easyappointments.md): bare JSON arrays,
 * 1-based {@code page} and {@code length}, no totals, the last page is short. Errors are
 * {@code {"success":false,"message":"..."}} (500), plain text (401) or empty (404, 429).
 */
final class EasyAppointmentsClient {

    static final String VENDOR = "EasyAppointments";

    /** What an appointment listing returns: the API's own fields, and the customer's row attached by with=customer. */
    static final String APPOINTMENT_FIELDS = "id,book,start,end,status,customerId,providerId,serviceId";

    /** The customer fields the mapping reads; notes, addresses and the like stay at the source. */
    static final String CUSTOMER_FIELDS = "id,firstName,lastName,email,phone";
    static final int CUSTOMER_PAGE = 100;

    private final URI base;
    private final VendorHttp http;
    private final ObjectMapper mapper;

    private final String apiKey;

    EasyAppointmentsClient(VendorHttp.Settings settings, URI base, String apiKey, RetryPolicy retry, Clock clock,
                           ObjectMapper mapper) {
        this.base = VendorHttp.requireSafeBase(base);
        this.apiKey = apiKey;
        this.mapper = mapper;
        this.http = new VendorHttp(VENDOR, VendorAuth.bearer(apiKey),
                settings, retry, clock, answer -> VendorHttp.jsonMessage(mapper, answer, "message"));
    }

    /** True when this client calls {@code base} with {@code key} (a rotated key or a moved instance gets a new client). */
    boolean uses(URI base, String key) {
        return this.base.equals(base) && apiKey.equals(key);
    }

    /** One page of appointments in id order, each with its customer; {@code from} limits to starts on or after it. */
    JsonNode appointments(int page, int length, LocalDate from, TimeBudget budget) {
        String query = "page=" + page + "&length=" + length + "&sort=id&with=customer&fields=" + APPOINTMENT_FIELDS
                + (from == null ? "" : "&from=" + from);
        return array(http.get(base.resolve("appointments?" + query), budget), "appointments");
    }

    /**
     * One appointment of a listing as the API sent it: {@code length} bytes of {@code page} from {@code offset},
     * its id when the API gave a plain integer, and whether the customer came attached ({@code customer}, even
     * null). Read token by token, without building the appointment, so that an unchanged one costs its hash.
     */
    record Listed(byte[] page, int offset, int length, Long id, boolean customerAttached) {
    }

    /** As {@link #appointments}, each appointment left as the API sent it. */
    List<Listed> appointmentListing(int page, int length, LocalDate from, TimeBudget budget) {
        String query = "page=" + page + "&length=" + length + "&sort=id&with=customer&fields=" + APPOINTMENT_FIELDS
                + (from == null ? "" : "&from=" + from);
        byte[] body = http.get(base.resolve("appointments?" + query), budget);
        List<Listed> listed = new ArrayList<>();
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                array(body, "appointments");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new VendorException(VENDOR, 200, VENDOR + " answered appointments with a body that is not JSON", null);
                }
                long start = parser.getTokenLocation().getByteOffset();
                Long id = null;
                boolean customer = false;
                if (token == JsonToken.START_OBJECT) {
                    // A repeated field counts as the tree reads it: the last one.
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (name.equals("id")) {
                            id = value == JsonToken.VALUE_NUMBER_INT && (parser.getNumberType() == JsonParser.NumberType.INT
                                    || parser.getNumberType() == JsonParser.NumberType.LONG) ? parser.getLongValue() : null;
                        } else if (name.equals("customer")) {
                            customer = true;
                        }
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
                long end = parser.getCurrentLocation().getByteOffset();
                if (start < 0 || end <= start || end > body.length) {
                    throw new IllegalStateException("the JSON parser gave no byte offsets");
                }
                listed.add(new Listed(body, (int) start, (int) (end - start), id, customer));
            }
            if (parser.nextToken() != null) {
                throw new VendorException(VENDOR, 200, VENDOR + " answered appointments with a body that is not JSON", null);
            }
        } catch (IOException e) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered appointments with a body that is not JSON", e);
        }
        return listed;
    }

    /** One appointment of a listing, read whole. */
    JsonNode tree(Listed appointment) {
        try {
            return mapper.readTree(appointment.page(), appointment.offset(), appointment.length());
        } catch (IOException e) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered appointments with a body that is not JSON", e);
        }
    }

    /** One appointment, or empty when the API answers 404 (it was deleted). */
    Optional<JsonNode> appointment(long id, TimeBudget budget) {
        return http.find(base.resolve("appointments/" + id + "?with=customer&fields=" + APPOINTMENT_FIELDS), budget)
                .map(body -> object(body, "appointment " + id));
    }

    /**
     * Every customer, listed page by page in id order: for servers that do not attach customers to
     * appointments, this costs one request per {@value #CUSTOMER_PAGE} customers instead of one per customer,
     * which keeps a sync inside the 100-requests-per-120-s limit.
     */
    Map<Long, JsonNode> customers(TimeBudget budget) {
        Map<Long, JsonNode> all = new HashMap<>();
        each("customers", CUSTOMER_FIELDS, CUSTOMER_PAGE, budget, c -> {
            if (c.path("id").canConvertToLong()) {
                all.put(c.get("id").asLong(), c);
            }
        });
        return all;
    }

    /** One customer, for servers that do not attach it to appointments. */
    Optional<JsonNode> customer(long id, TimeBudget budget) {
        return http.find(base.resolve("customers/" + id), budget).map(body -> object(body, "customer " + id));
    }

    /** One short page of services: the cheapest call that proves the URL and key work. */
    void probe(TimeBudget budget) {
        array(http.get(base.resolve("services?page=1&length=1&fields=id"), budget), "services");
    }

    /** Services by id (name, price, currency, duration): a small table, read whole at the start of each pass. */
    Map<Long, Appointment.Service> services(TimeBudget budget) {
        Map<Long, Appointment.Service> services = new HashMap<>();
        each("services", "id,name,price,currency,duration", budget, s -> {
            long id = s.path("id").asLong();
            services.put(id, new Appointment.Service(id, VendorText.clean(s.path("name").asText(null)), price(s.get("price")),
                    currency(s.path("currency").asText(null)),
                    s.path("duration").canConvertToInt() && s.path("duration").asInt() >= 0 ? s.path("duration").asInt() : null));
        });
        return services;
    }

    /** A price the database can hold (numeric(14, 2)); anything else is left out rather than failing the pass. */
    private static BigDecimal price(JsonNode node) {
        if (node == null || !(node.isNumber() || node.isTextual())) {
            return null;
        }
        try {
            BigDecimal price = new BigDecimal(node.asText().strip()).setScale(2, RoundingMode.HALF_UP);
            return price.signum() >= 0 && price.precision() <= 14 ? price : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static String currency(String value) {
        if (value == null) {
            return null;
        }
        String code = VendorText.clean(value).strip().toUpperCase(java.util.Locale.ROOT);
        return code.isEmpty() || code.length() > 16 ? null : code;
    }

    /** Provider timezones by id: appointment times are wall-clock times in the provider's timezone. */
    Map<Long, ZoneId> providerZones(TimeBudget budget) {
        Map<Long, ZoneId> zones = new HashMap<>();
        // Only id and timezone: a provider record also carries calendar credentials we must not pull.
        each("providers", "id,timezone", budget, p -> {
            try {
                zones.put(p.path("id").asLong(), ZoneId.of(p.path("timezone").asText()));
            } catch (RuntimeException unknownZone) {
                // left out: its appointments fall back to the instance timezone
            }
        });
        return zones;
    }

    private void each(String resource, String fields, TimeBudget budget, java.util.function.Consumer<JsonNode> each) {
        each(resource, fields, 500, budget, each);
    }

    private void each(String resource, String fields, int length, TimeBudget budget,
                      java.util.function.Consumer<JsonNode> each) {
        for (int page = 1; ; page++) {
            JsonNode items = array(http.get(base.resolve(resource + "?page=" + page + "&length=" + length
                    + "&sort=id&fields=" + fields), budget), resource);
            items.forEach(each);
            if (items.size() < length) {
                return;
            }
        }
    }

    private JsonNode array(byte[] body, String what) {
        JsonNode node = parse(body, what);
        if (!node.isArray()) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered " + what + " with JSON that is not an array", null);
        }
        return node;
    }

    private JsonNode object(byte[] body, String what) {
        JsonNode node = parse(body, what);
        if (!node.isObject()) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered " + what + " with JSON that is not an object", null);
        }
        return node;
    }

    private JsonNode parse(byte[] body, String what) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new VendorException(VENDOR, 200, VENDOR + " answered " + what + " with a body that is not JSON", e);
        }
    }
}
