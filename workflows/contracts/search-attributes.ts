import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes shown in and filterable from the Temporal Web UI. */
export const SA = {
  connection: defineSearchAttributeKey('PossyncConnection', SearchAttributeType.KEYWORD),
  sku: defineSearchAttributeKey('PossyncSku', SearchAttributeType.KEYWORD),
  productId: defineSearchAttributeKey('PossyncProductId', SearchAttributeType.INT),
  importState: defineSearchAttributeKey('PossyncImportState', SearchAttributeType.KEYWORD),
  /** 'blocked' while the shop refuses the connection's credentials, 'ok' once it accepts them again (issue 7 point 5). */
  connectionState: defineSearchAttributeKey('PossyncConnectionState', SearchAttributeType.KEYWORD),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

/** `--search-attribute Name=Type` values for `temporal server start-dev`. */
export const SEARCH_ATTRIBUTE_FLAGS = ALL_SEARCH_ATTRIBUTES.map(
  (k) => `${k.name}=${k.type === SearchAttributeType.INT ? 'Int' : 'Keyword'}`,
);
