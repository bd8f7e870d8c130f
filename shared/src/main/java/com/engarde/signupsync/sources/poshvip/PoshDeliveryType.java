package com.engarde.signupsync.sources.poshvip;

import java.util.Locale;

/**
 * What a delivery's {@code type} says happened. Posh's own deliveries use {@code new_order},
 * {@code new_order_request}, {@code pending_order_actioned} and {@code order_updated}; signed integrations
 * use dotted names ({@code purchase.created}, ...). Both map onto the same few meanings.
 */
enum PoshDeliveryType {
    /** A completed purchase. */
    PURCHASE,
    /** An order awaiting the organizer's approval: not a purchase yet. */
    ORDER_REQUEST,
    /** The organizer's decision on a request: {@code action} approved (a purchase) or denied. */
    ORDER_ACTIONED,
    /** A change to an order: a refund, cancellation or dispute if its flags say so, else nothing. */
    ORDER_UPDATE,
    /** A refund, whatever the flags say. */
    REFUND,
    /** A ticket given to someone else: a purchase for the new holder. */
    TRANSFER,
    /** A ticket scanned at the door. */
    CHECK_IN,
    UNKNOWN;

    static PoshDeliveryType of(String type) {
        return switch (type.strip().toLowerCase(Locale.ROOT)) {
            case "new_order", "purchase.created" -> PURCHASE;
            case "new_order_request" -> ORDER_REQUEST;
            case "pending_order_actioned" -> ORDER_ACTIONED;
            case "order_updated", "order_status_update", "purchase.updated" -> ORDER_UPDATE;
            case "purchase.refunded" -> REFUND;
            case "ticket.transferred" -> TRANSFER;
            case "ticket.checked_in" -> CHECK_IN;
            default -> UNKNOWN;
        };
    }
}
