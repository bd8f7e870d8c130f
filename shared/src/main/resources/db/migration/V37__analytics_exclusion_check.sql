-- The funnel's exclusion check as a function (issue 29: a two-year exclusion read 2.3 million lead rows on one
-- core). The funnel query wrote it inline, as a correlated EXISTS over the lead's occurrences; PostgreSQL never
-- runs a scan in parallel when its filter holds a correlated subquery. A call of a PARALLEL SAFE function is
-- not such a subquery (a SQL function whose body has a subquery is not inlined), so the lead rows' scan and
-- its partial counts can be shared between workers.
--
-- Whether any of a lead's occurrences (V7's encoding: microseconds since the epoch * 16 + the type's code) is
-- of one of p_codes and strictly after p_after and before p_before (microseconds). A null bound matches
-- nothing, as the inline form did: the answer is then false, never null.
CREATE FUNCTION analytics_occurred_between(p_occurrences bigint[], p_codes bigint[], p_after bigint,
                                           p_before bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (SELECT 1 FROM unnest(p_occurrences) o
                   WHERE (o & 15) = ANY (p_codes) AND (o >> 4) > p_after AND (o >> 4) < p_before)
$$;
