-- The audit log is append-only for every role but the table's owner (the schema's owner, which only db-migrate
-- logs in as): the functions, the public webhook receiver among them, add rows and never rewrite or remove one.
-- The application role is also granted no UPDATE, DELETE or TRUNCATE on it (persistence.ApplicationRole); this
-- trigger holds even where a grant is given back by hand.
CREATE FUNCTION platform_admin_actions_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'platform_admin_actions is append-only: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;

CREATE TRIGGER platform_admin_actions_append_only
    BEFORE UPDATE OR DELETE ON platform_admin_actions
    FOR EACH ROW EXECUTE FUNCTION platform_admin_actions_append_only();

CREATE TRIGGER platform_admin_actions_no_truncate
    BEFORE TRUNCATE ON platform_admin_actions
    FOR EACH STATEMENT EXECUTE FUNCTION platform_admin_actions_append_only();
