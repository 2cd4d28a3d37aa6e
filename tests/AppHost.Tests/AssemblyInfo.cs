// Each test class starts a whole system (PostgreSQL, Redis, Kafka, three services, the dashboard): one at a time on
// a 2-core machine, and never two AppHosts competing for the same CPU while their start-up is timed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
