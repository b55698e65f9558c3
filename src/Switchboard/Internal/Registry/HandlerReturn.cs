using System.Reflection;

namespace Switchboard.Internal.Registry;

/// <summary>
/// How a handler's return value is awaited and read, from the method's declared return type: the runtime type of a
/// returned task says nothing (an async <c>Task</c> method returns a <c>Task&lt;VoidTaskResult&gt;</c>).
/// </summary>
internal sealed class HandlerReturn
{
    private HandlerReturn(HandlerReturnKind kind, Type? valueType, PropertyInfo? result, MethodInfo? asTask)
    {
        Kind = kind;
        ValueType = valueType;
        _result = result;
        _asTask = asTask;
    }

    private readonly PropertyInfo? _result;
    private readonly MethodInfo? _asTask;

    public HandlerReturnKind Kind { get; }

    /// <summary>The type of the value (<c>T</c> of <c>Task&lt;T&gt;</c>…); null when the handler returns nothing.</summary>
    public Type? ValueType { get; }

    public static HandlerReturn Of(Type type)
    {
        if (type == typeof(void))
        {
            return new(HandlerReturnKind.Nothing, null, null, null);
        }
        if (type == typeof(Task))
        {
            return new(HandlerReturnKind.Task, null, null, null);
        }
        if (type == typeof(ValueTask))
        {
            return new(HandlerReturnKind.ValueTask, null, null, null);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return new(HandlerReturnKind.TaskOfT, type.GetGenericArguments()[0], type.GetProperty(nameof(Task<int>.Result)), null);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = type.GetMethod(nameof(ValueTask<int>.AsTask))!;
            return new(HandlerReturnKind.ValueTaskOfT, type.GetGenericArguments()[0], asTask.ReturnType.GetProperty(nameof(Task<int>.Result)), asTask);
        }
        return new(HandlerReturnKind.Value, type, null, null);
    }

    /// <summary>
    /// Why a function may not return this type, or null when it may: a value must be data the browser can use, not
    /// another task, a stream or a by-reference return.
    /// </summary>
    public string? WhyNotAFunctionResult()
    {
        if (ValueType is not { } t)
        {
            return null;
        }
        if (t.IsByRef || t.IsPointer || t.IsByRefLike)
        {
            return $"returns {t.Name}, which cannot be serialized";
        }
        if (typeof(Task).IsAssignableFrom(t) || t == typeof(ValueTask) || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return $"returns a task of a task ({t.Name}); await the inner task and return its value";
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
        {
            return "returns an IAsyncEnumerable, and a function answers once; return a list (or send signals to the window as items are ready)";
        }
        if (typeof(Delegate).IsAssignableFrom(t))
        {
            return $"returns a delegate ({t.Name}), which cannot be serialized";
        }
        return null;
    }

    /// <summary>Awaits what the handler returned and gives its value (null when it returns nothing, or a null task).</summary>
    public async ValueTask<object?> AwaitAsync(object? returned)
    {
        switch (Kind)
        {
            case HandlerReturnKind.Value:
                return returned;
            case HandlerReturnKind.Task when returned is Task task:
                await task;
                return null;
            case HandlerReturnKind.ValueTask when returned is ValueTask valueTask:
                await valueTask;
                return null;
            case HandlerReturnKind.TaskOfT when returned is Task task:
                await task;
                return _result!.GetValue(task);
            case HandlerReturnKind.ValueTaskOfT when returned is not null:
                var asTask = (Task)_asTask!.Invoke(returned, null)!;
                await asTask;
                return _result!.GetValue(asTask);
            default:
                return null;
        }
    }
}

/// <summary>The shapes of a handler's return type.</summary>
internal enum HandlerReturnKind
{
    Nothing,
    Value,
    Task,
    ValueTask,
    TaskOfT,
    ValueTaskOfT,
}
