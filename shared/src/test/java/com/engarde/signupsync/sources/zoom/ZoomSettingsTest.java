package com.engarde.signupsync.sources.zoom;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The defaults a deployment runs with: no ZOOM_API_URL or ZOOM_OAUTH_URL is set in AWS. */
class ZoomSettingsTest {

    @Test
    void withoutAnOverrideTheUrlsAreZoomsOwnOverHttps() {
        try (ApplicationContext context = ApplicationContext.run()) {
            ZoomSettings settings = context.getBean(ZoomSettings.class);
            assertThat(settings.api()).hasToString("https://api.zoom.us/v2/");
            assertThat(settings.token()).hasToString("https://zoom.us/oauth/token");
        }
    }
}
