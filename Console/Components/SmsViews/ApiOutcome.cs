using TasksConsole.Api;

namespace TasksConsole.Components.SmsViews;

/// <summary>What a call to TaskApi gave a view: its value, or the problem to show (both null when the session ended).</summary>
/// <param name="Value">The answer, when the call succeeded.</param>
/// <param name="Problem">Why it failed.</param>
public sealed record ApiOutcome<T>(T? Value, ApiProblemException? Problem) where T : class;
