-- The insights' narratives (issue 26), cached by what they were written from: a SHA-256 of the analysis type,
-- the model, the prompt's version and the aggregated figures, so the same question costs one call to Anthropic.
-- The figures hold nothing that identifies a person, and neither does a narrative written from them.
CREATE TABLE insight_narratives (
    cache_key     text        PRIMARY KEY CHECK (cache_key ~ '^[0-9a-f]{64}$'),
    analysis_type text        NOT NULL CHECK (length(analysis_type) BETWEEN 1 AND 40),
    model         text        NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
    narrative     text        NOT NULL CHECK (length(narrative) BETWEEN 1 AND 20000),
    created_at    timestamptz NOT NULL DEFAULT now()
);
