package com.engarde.signupsync.functions.adminplatformbrands;

import io.swagger.v3.oas.annotations.media.Schema;

/** The request body of this function's brand creation, for the API document only (the service parses the bytes). */
final class PlatformBrandsSchemas {

    private PlatformBrandsSchemas() {
    }

    @Schema(name = "BrandRequest")
    record Create(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String brandName,
                  @Schema(maxLength = 2000) String purpose,
                  @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, defaultValue = "false") Boolean isDemo,
                  @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, defaultValue = "false") Boolean isTemplate) {
    }
}
