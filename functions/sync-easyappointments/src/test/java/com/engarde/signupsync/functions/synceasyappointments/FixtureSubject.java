package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;

import java.time.Instant;

/** What the contract subjects of this module share: the function in-process over a {@link SyncFixture}. */
abstract class FixtureSubject implements SyncSourceContract.Subject {

    final SyncFixture f;

    FixtureSubject(SyncFixture f) {
        this.f = f;
    }

    @Override
    public SyncEngine engine() {
        return f.engine();
    }

    @Override
    public SyncRunLog runs() {
        return f.runs();
    }

    @Override
    public int pageSize() {
        return 10;
    }

    @Override
    public Instant now() {
        return TestClock.INSTANCE.instant();
    }

    @Override
    public void settle() {
        SyncFixture.await(f.bus());
    }

    @Override
    public void close() {
        f.close();
    }
}
