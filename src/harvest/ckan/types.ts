// The shape of a CKAN dataset dict as the Action API returns it (package_show, package_search results),
// with the fields ckanext-scheming DCAT-AP schemas add and the legacy free-form extras. Portals differ in
// which fields they carry and in how (a list, a JSON string in an extra, a comma-separated string), so
// every field is optional and read defensively by fields.ts; the names say what the mapping looks at.

/** A fluent (ckanext-fluent) multilingual value: language code -> text. */
export type Translated = Record<string, string>;

export interface CkanExtra {
  key: string;
  value: unknown;
}

export interface CkanTag {
  name: string;
  display_name?: string;
  vocabulary_id?: string | null;
  [key: string]: unknown;
}

export interface CkanGroup {
  id?: string;
  name?: string;
  title?: string;
  display_name?: string;
  description?: string;
  [key: string]: unknown;
}

export interface CkanOrganization {
  id: string;
  name?: string;
  title?: string;
  description?: string;
  email?: string;
  url?: string;
  dcat_type?: string;
  identifier?: string;
  [key: string]: unknown;
}

/** A scheming repeating subfield describing a person or organisation (publisher, creator, contact). */
export interface CkanAgent {
  uri?: string;
  name?: string;
  name_translated?: Translated;
  email?: string;
  url?: string;
  homepage?: string;
  type?: string;
  identifier?: string;
  [key: string]: unknown;
}

export interface CkanAccessService {
  uri?: string;
  title?: string;
  description?: string;
  endpoint_url?: string[] | string;
  endpoint_description?: string;
  serves_dataset?: string[] | string;
  [key: string]: unknown;
}

export interface CkanResource {
  id?: string;
  package_id?: string;
  uri?: string;
  url?: string | null;
  name?: string | null;
  name_translated?: Translated;
  description?: string | null;
  description_translated?: Translated;
  format?: string | null;
  mimetype?: string | null;
  size?: number | string | null;
  hash?: string | null;
  hash_algorithm?: string | null;
  license?: string | null;
  rights?: string | Translated | null;
  access_url?: string | null;
  download_url?: string | null;
  issued?: string | null;
  created?: string | null;
  modified?: string | null;
  last_modified?: string | null;
  metadata_modified?: string | null;
  language?: string[] | string | null;
  access_services?: CkanAccessService[] | string | null;
  [key: string]: unknown;
}

export interface CkanPackage {
  id?: string;
  name?: string;
  /** "dataset", or "dataset_series" for a DCAT dataset series (ckanext-dataset-series). */
  type?: string;
  uri?: string;
  title?: string;
  title_translated?: Translated;
  notes?: string | null;
  notes_translated?: Translated;
  url?: string | null;
  version?: string | null;
  tags?: (CkanTag | string)[];
  tags_translated?: Record<string, string[]>;
  groups?: CkanGroup[];
  organization?: CkanOrganization | null;
  extras?: CkanExtra[];
  resources?: CkanResource[];
  license_id?: string | null;
  license_url?: string | null;
  license_title?: string | null;
  maintainer?: string | null;
  maintainer_email?: string | null;
  author?: string | null;
  author_email?: string | null;
  metadata_created?: string;
  metadata_modified?: string;
  contact?: CkanAgent[];
  publisher?: CkanAgent[];
  creator?: CkanAgent[];
  in_series?: string[] | string;
  [key: string]: unknown;
}
