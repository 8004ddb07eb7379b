/**
 * A data engineer's resume (invented, as text): evidence for the data-engineer rubric on most of its competencies,
 * little for the backend rubric's web APIs, async or AI integration. Used to show which rubric a draft was made with.
 */
export const dataEngineerResumeText = `Mara Quist - Senior Data Engineer
9 years of Python, most of them building data platforms.

Tidewater Analytics, Senior Data Engineer, 2020 - present
- Designed and owned the streaming ingestion of clickstream data on Kafka, 3 million events per second, with exactly-once producers, dead-letter topics and watermarks for late data.
- Migrated 300 Airflow DAGs to data-aware scheduling and planned backfills over two years of date partitions.
- Modelled the Snowflake warehouse as star schemas with SCD type 2 dimensions; clustering keys cut the revenue model from 40 min to 3 min.
- Introduced Great Expectations suites that quarantine bad records before a load, and data contracts with schema registry compatibility rules.
- Rewrote pandas transforms in polars over partitioned Parquet; the nightly job went from 6 hours to 25 minutes.
- Set freshness monitors and data SLOs for every pipeline; led postmortems for data incidents.

Northgate Retail, Data Engineer, 2016 - 2020
- Built change data capture from PostgreSQL with Debezium into Apache Iceberg tables on S3.
- Wrote pytest tests for transformations with fixture data and ran sqlfluff and mypy in CI.
`;
