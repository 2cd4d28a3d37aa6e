namespace TaskWorker.Tests;

/// <summary>
/// Test classes that measure when calls reach a provider run alone: with other classes' workers on the same two cores,
/// the thread pool can stall for seconds, and calls permitted on time then arrive together.
/// </summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;
