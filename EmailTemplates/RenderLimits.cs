using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Tasks.EmailTemplates;

/// <summary>
/// What rendering may cost, so a hostile template can neither hang a worker nor exhaust its memory: Fluid's own step and
/// nesting limits; a budget of characters that everything a part produces (its output, captures, filter results, ranges)
/// draws from, checked before a filter whose result can dwarf its input runs (a format's precision, a join, a replace)
/// and charged as soon as any other's result exists; and a time limit for the whole email, with the caller's cancellation.
/// </summary>
internal static partial class RenderLimits
{
    /// <summary>Statements run, loop turns and range elements together; a real email needs a few thousand.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>Nested blocks with scopes of their own (for, tablerow, capture) at render time.</summary>
    public const int MaxRecursion = 64;

    /// <summary>Characters produced per part (about 4 MB): far above any email, far below trouble.</summary>
    public const int MaxCharacters = 2_000_000;

    /// <summary>
    /// The largest precision or alignment a format may ask for (format_number's "N2", format_string's "{0,10:F2}"):
    /// .NET would build "N999999999"'s billion digits before the budget could see them.
    /// </summary>
    public const int MaxFormatWidth = 1_000;

    /// <summary>How long the parts of one email may take to render together: a real one takes milliseconds.</summary>
    public static readonly TimeSpan MaxRenderTime = TimeSpan.FromSeconds(1);

    private const string BudgetKey = "Tasks.EmailTemplates.Budget";

    // Checks made before the filter runs, for the filters whose result can be far larger than anything charged so far.
    private static readonly Dictionary<string, Action<FluidValue, FilterArguments, TemplateContext>> Prechecks = new(StringComparer.Ordinal)
    {
        // The input times the replacement.
        ["replace"] = Multiplying,
        ["replace_first"] = Multiplying,
        ["replace_last"] = Multiplying,
        // Every element plus a separator between each two: (1..100000) | join: a long text.
        ["join"] = (input, arguments, context) =>
        {
            long elements = 0, characters = 0;
            foreach (var element in input.Enumerate(context))
            {
                elements++;
                characters += element.ToStringValue().Length;
            }
            BudgetOf(context).EnsureAvailable(characters + Math.Max(0, elements - 1) * arguments.At(0).ToStringValue().Length);
        },
        ["format_number"] = (_, arguments, _) => CheckFormat(arguments.At(0).ToStringValue()),
        ["format_string"] = (input, _, _) => CheckCompositeFormat(input.ToStringValue()),
    };

    public static TemplateContext CreateContext(TemplateOptions options, RenderDeadline deadline)
    {
        var context = new TemplateContext(options, StringComparer.Ordinal);
        context.AmbientValues[BudgetKey] = new Budget(deadline);
        return context;
    }

    public static TextWriter CreateWriter(TemplateContext context) => new BoundedWriter(BudgetOf(context));

    /// <summary>Every filter of <paramref name="filters"/> made to check the time, run its precheck and charge its result to the part's budget.</summary>
    public static void Guard(FilterCollection filters)
    {
        foreach (var (name, filter) in filters.ToList())
        {
            var precheck = Prechecks.GetValueOrDefault(name);
            filters.AddFilter(name, (input, arguments, context) =>
            {
                BudgetOf(context).CheckTime();
                precheck?.Invoke(input, arguments, context);
                return Charged(filter(input, arguments, context), context);
            });
        }
    }

    /// <summary>The template with ranges counted as steps and captures drawing from the budget.</summary>
    public static IFluidTemplate Bound(IFluidTemplate template) => new LimitsRewriter().VisitTemplate(template);

    private static Budget BudgetOf(TemplateContext context) => (Budget)context.AmbientValues[BudgetKey];

    private static void Multiplying(FluidValue input, FilterArguments arguments, TemplateContext context) =>
        BudgetOf(context).EnsureAvailable((long)input.ToStringValue().Length * (1 + arguments.At(1).ToStringValue().Length));

    /// <summary>A standard numeric format's precision ("N2", "F999999999") within <see cref="MaxFormatWidth"/>; custom formats grow only with their own length.</summary>
    private static void CheckFormat(string format)
    {
        var match = StandardFormat().Match(format);
        if (match.Success && !(int.TryParse(match.Groups["precision"].ValueSpan, CultureInfo.InvariantCulture, out var precision) && precision <= MaxFormatWidth))
        {
            throw new InvalidOperationException($"The format '{Shortened(format)}' asks for a precision over {MaxFormatWidth:N0}.");
        }
    }

    /// <summary>
    /// Each item of a composite format ("{0,-10:N2}") with an alignment and a format within <see cref="MaxFormatWidth"/>.
    /// Read without regard to escaped braces: a literal "{{0,5000}}" is refused too, which no email needs.
    /// </summary>
    private static void CheckCompositeFormat(string format)
    {
        foreach (Match item in CompositeItem().Matches(format))
        {
            var alignment = item.Groups["alignment"];
            if (alignment.Success && !(int.TryParse(alignment.ValueSpan, CultureInfo.InvariantCulture, out var width) && Math.Abs(width) <= MaxFormatWidth))
            {
                throw new InvalidOperationException($"The format '{Shortened(format)}' asks for an alignment over {MaxFormatWidth:N0}.");
            }
            if (item.Groups["format"] is { Success: true } itemFormat)
            {
                CheckFormat(itemFormat.Value);
            }
        }
    }

    private static string Shortened(string format) => format.Length <= 40 ? format : format[..40] + "…";

    // .NET's standard numeric formats: one letter and an optional precision (custom formats are anything else).
    [GeneratedRegex(@"\A\s*[A-Za-z](?<precision>[0-9]+)\s*\z", RegexOptions.CultureInvariant)]
    private static partial Regex StandardFormat();

    [GeneratedRegex(@"\{\s*[0-9]+\s*(,\s*(?<alignment>-?[0-9]+)\s*)?(:(?<format>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex CompositeItem();

    private static ValueTask<FluidValue> Charged(ValueTask<FluidValue> pending, TemplateContext context)
    {
        if (pending.IsCompletedSuccessfully)
        {
            Charge(pending.Result, context);
            return pending;
        }
        return Awaited(pending, context);

        static async ValueTask<FluidValue> Awaited(ValueTask<FluidValue> pending, TemplateContext context)
        {
            var result = await pending;
            Charge(result, context);
            return result;
        }
    }

    private static void Charge(FluidValue result, TemplateContext context)
    {
        switch (result)
        {
            case StringValue text:
                BudgetOf(context).Spend(text.ToStringValue().Length);
                break;
            case ArrayValue array:
                BudgetOf(context).Spend(array.Values.Count);
                break;
        }
    }

    private sealed class Budget(RenderDeadline deadline)
    {
        private long _remaining = MaxCharacters;

        public void Spend(long characters)
        {
            EnsureAvailable(characters);
            _remaining -= characters;
        }

        public void EnsureAvailable(long characters)
        {
            CheckTime();
            if (characters > _remaining)
            {
                throw new InvalidOperationException($"The template produces more than {MaxCharacters:N0} characters.");
            }
        }

        public void CheckTime() => deadline.Check();
    }

    /// <summary>
    /// A StringWriter (whose asynchronous writes complete synchronously, where TextWriter's would queue work on the thread
    /// pool) that charges what it is given to the budget.
    /// </summary>
    private sealed class BoundedWriter(Budget budget) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            budget.Spend(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            budget.Spend(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            budget.Spend(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            budget.Spend(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(StringBuilder? value)
        {
            budget.Spend(value?.Length ?? 0);
            base.Write(value);
        }
    }

    private sealed class LimitsRewriter : AstRewriter
    {
        protected override Expression VisitRangeExpression(RangeExpression rangeExpression) =>
            new CountedRange((RangeExpression)base.VisitRangeExpression(rangeExpression));

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement) =>
            new BoundedCapture((CaptureStatement)base.VisitCaptureStatement(captureStatement));
    }

    /// <summary>A range whose elements count as steps before Fluid allocates them: <c>(1..2000000000)</c> is refused, not built.</summary>
    private sealed class CountedRange(RangeExpression range) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            BudgetOf(context).CheckTime();
            var from = (await range.From.EvaluateAsync(context)).ToNumberValue();
            var to = (await range.To.EvaluateAsync(context)).ToNumberValue();
            var count = Math.Max(0, Math.Floor(to) - Math.Floor(from) + 1);
            if (count > MaxSteps)
            {
                throw new InvalidOperationException($"The range ({from}..{to}) has more than {MaxSteps:N0} elements.");
            }
            for (var i = 0; i < count; i++)
            {
                context.IncrementSteps();
            }
            return await range.EvaluateAsync(context);
        }
    }

    /// <summary>Fluid's capture, into a writer that draws from the budget (Fluid's own buffer has no bound).</summary>
    private sealed class BoundedCapture(CaptureStatement capture) : Statement
    {
        public override async ValueTask<Completion> WriteToAsync(TextWriter writer, System.Text.Encodings.Web.TextEncoder encoder, TemplateContext context)
        {
            context.IncrementSteps();
            using var captured = CreateWriter(context);
            var completion = Completion.Normal;
            foreach (var statement in capture.Statements)
            {
                completion = await statement.WriteToAsync(captured, encoder, context);
                if (completion != Completion.Normal)
                {
                    break;
                }
            }
            // Already encoded as the part is: not to be encoded again when output.
            context.SetValue(capture.Identifier, new StringValue(captured.ToString(), false));
            return completion;
        }
    }
}

/// <summary>When the rendering of one email must stop: its time is up, or its caller cancelled it.</summary>
internal sealed class RenderDeadline(CancellationToken cancellation)
{
    private readonly long _started = TimeProvider.System.GetTimestamp();

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    /// <exception cref="InvalidOperationException">The time is up.</exception>
    public void Check()
    {
        cancellation.ThrowIfCancellationRequested();
        if (TimeProvider.System.GetElapsedTime(_started) > RenderLimits.MaxRenderTime)
        {
            throw new InvalidOperationException($"The template takes longer than {RenderLimits.MaxRenderTime.TotalSeconds:0.#} s to render.");
        }
    }
}
