-- The synced EasyAppointments appointments as the admin views read them (issue 26). One row per appointment,
-- written with each sync page and deleted when the sync notices the appointment's deletion. The customer's
-- email, names and phone live here too, so that a person's erasure finds them by email.
CREATE TABLE easyappointments_appointments (
    appointment_id      bigint      PRIMARY KEY,
    booked_at           timestamptz NOT NULL,
    start_at            timestamptz NOT NULL,
    end_at              timestamptz NOT NULL,
    -- The provider's timezone, in which EasyAppointments gives start and end.
    timezone            text        NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    -- As EasyAppointments says it (free text per instance), and as the configured map reads it.
    status              text        NOT NULL CHECK (length(status) <= 512),
    status_outcome      text        NOT NULL CHECK (status_outcome IN ('booked', 'cancelled', 'completed', 'no_show')),
    -- What an admin recorded (EasyAppointments has no no-show status); it wins over the status.
    recorded_outcome    text        CHECK (recorded_outcome IN ('completed', 'no_show')),
    recorded_at         timestamptz,
    -- coalesce(recorded_outcome, status_outcome): stored so that the outcome filter has an index.
    outcome             text        GENERATED ALWAYS AS (coalesce(recorded_outcome, status_outcome)) STORED,
    service_id          bigint,
    service_name        text        CHECK (length(service_name) <= 512),
    service_price       numeric(14, 2),
    service_currency    text        CHECK (length(service_currency) <= 16),
    service_duration    integer,
    provider_id         bigint,
    customer_id         bigint      NOT NULL,
    -- The customer's lead (one per mailbox): the funnel tie-in, and what a person's erasure starts from.
    lead_id             bigint      NOT NULL REFERENCES leads (id),
    customer_email      text        NOT NULL CHECK (length(customer_email) BETWEEN 3 AND 320),
    customer_first_name text        CHECK (length(customer_first_name) <= 200),
    customer_last_name  text        CHECK (length(customer_last_name) <= 200),
    customer_phone      text        CHECK (length(customer_phone) <= 50),
    synced_at           timestamptz NOT NULL
);

-- The list's order (start, then id) and its date filter; every other filter narrows it.
CREATE INDEX easyappointments_appointments_start_idx ON easyappointments_appointments (start_at, appointment_id);
CREATE INDEX easyappointments_appointments_booked_idx ON easyappointments_appointments (booked_at);
CREATE INDEX easyappointments_appointments_status_idx ON easyappointments_appointments (status, start_at);
CREATE INDEX easyappointments_appointments_outcome_idx ON easyappointments_appointments (outcome, end_at);
CREATE INDEX easyappointments_appointments_service_idx ON easyappointments_appointments (service_id, start_at);
CREATE INDEX easyappointments_appointments_provider_idx ON easyappointments_appointments (provider_id, start_at);
CREATE INDEX easyappointments_appointments_lead_idx ON easyappointments_appointments (lead_id);
CREATE INDEX easyappointments_appointments_email_idx ON easyappointments_appointments (customer_email, start_at);

-- appointment_completed used to be written for every past appointment that was not cancelled, so a no-show
-- counted as attended. It now follows the outcome (a status mapped to completed, or an admin's recording),
-- so the clock's guesses go; the next sync of each appointment writes the ones an outcome supports.
DELETE FROM funnel_events WHERE source_type = 'easyappointments' AND event_type = 'appointment_completed';
