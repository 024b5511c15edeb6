// Generated from app/vocabulary.py by `python -m app.vocabulary`: do not edit.
export const VOCABULARY = {
  "sources": [
    "direct",
    "reported_by_staff",
    "reported_by_prisoner",
    "document"
  ],
  "concerns": [
    "low",
    "medium",
    "high"
  ]
};
