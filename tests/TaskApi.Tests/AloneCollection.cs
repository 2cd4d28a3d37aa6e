namespace TaskApi.Tests;

/// <summary>
/// Test classes that measure time, or whose background passes race other classes' writes, run alone: the others'
/// requests on the same two cores would be measured with them.
/// </summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;
