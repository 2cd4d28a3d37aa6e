using System.Globalization;
using System.Text;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Tasks.EmailTemplates;

/// <summary>
/// What one part's rendering may cost, so a hostile template can neither hang a worker nor exhaust its memory: Fluid's
/// own step and nesting limits, and a budget of characters that everything the part produces (its output, captures,
/// filter results, ranges) draws from.
/// </summary>
internal static class RenderLimits
{
    /// <summary>Statements run, loop turns and range elements together; a real email needs a few thousand.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>Nested blocks with scopes of their own (for, tablerow, capture) at render time.</summary>
    public const int MaxRecursion = 64;

    /// <summary>Characters produced per part (about 4 MB): far above any email, far below trouble.</summary>
    public const int MaxCharacters = 2_000_000;

    private const string BudgetKey = "Tasks.EmailTemplates.Budget";

    // Their result can be the input times the replacement: checked before they run, not only after.
    private static readonly HashSet<string> Multiplying = ["replace", "replace_first", "replace_last"];

    public static TemplateContext CreateContext(TemplateOptions options)
    {
        var context = new TemplateContext(options, StringComparer.Ordinal);
        context.AmbientValues[BudgetKey] = new Budget();
        return context;
    }

    public static TextWriter CreateWriter(TemplateContext context) => new BoundedWriter(BudgetOf(context));

    /// <summary>Every filter of <paramref name="filters"/> made to charge its result to the part's budget.</summary>
    public static void Guard(FilterCollection filters)
    {
        foreach (var (name, filter) in filters.ToList())
        {
            filters.AddFilter(name, Multiplying.Contains(name)
                ? (input, arguments, context) =>
                {
                    BudgetOf(context).EnsureAvailable((long)input.ToStringValue().Length * (1 + arguments.At(1).ToStringValue().Length));
                    return Charged(filter(input, arguments, context), context);
                }
                : (input, arguments, context) => Charged(filter(input, arguments, context), context));
        }
    }

    /// <summary>The template with ranges counted as steps and captures drawing from the budget.</summary>
    public static IFluidTemplate Bound(IFluidTemplate template) => new LimitsRewriter().VisitTemplate(template);

    private static Budget BudgetOf(TemplateContext context) => (Budget)context.AmbientValues[BudgetKey];

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

    private sealed class Budget
    {
        private long _remaining = MaxCharacters;

        public void Spend(long characters)
        {
            EnsureAvailable(characters);
            _remaining -= characters;
        }

        public void EnsureAvailable(long characters)
        {
            if (characters > _remaining)
            {
                throw new InvalidOperationException($"The template produces more than {MaxCharacters:N0} characters.");
            }
        }
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
