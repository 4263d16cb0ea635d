"""Writes static/data/penguins_predictions.csv: the bundled penguins data with a real model's
outputs as columns, as a user testing their own model would export them (PRODUCT.md §9).

The model is scikit-learn's LogisticRegression predicting `sex` from the bill's length and
depth, standardised, without the species: the kind of shortcut a model takes. Every
labelled row's prediction and probability come from 5-fold cross_val_predict, so each is
made by a model that did not see that row. On average it is right about four times in five;
on Chinstrap penguins, whose long bills read as male, little better than a coin. Rows whose sex is
unknown keep their measurements and get predictions too (they are unlabelled: mltest leaves
them out); rows missing a measurement get no prediction and are dropped.

    .tools/venv/bin/python scripts/make_predictions_sample.py   # scikit-learn 1.9.1, pandas 3.1.1
"""
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["bill_length_mm", "bill_depth_mm"]

df = pd.read_csv("static/data/penguins.csv")
# The file's own text for the columns it has (whole numbers stay without `.0`).
text = pd.read_csv("static/data/penguins.csv", dtype=str, keep_default_na=False)
kept = df[FEATURES].notna().all(axis=1)
df, text = df[kept].reset_index(drop=True), text[kept].reset_index(drop=True)
labelled = df["sex"].notna()
model = make_pipeline(StandardScaler(), LogisticRegression())
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
proba = cross_val_predict(model, df.loc[labelled, FEATURES], df.loc[labelled, "sex"], cv=folds, method="predict_proba")
fitted = model.fit(df.loc[labelled, FEATURES], df.loc[labelled, "sex"])
classes = list(fitted.classes_)
out = text.copy()
p_male = pd.Series(fitted.predict_proba(df[FEATURES])[:, classes.index("male")], index=df.index)
p_male[labelled] = proba[:, classes.index("male")]
out["p_male"] = p_male.round(6)
out["sex_pred"] = (out["p_male"] > 0.5).map({True: "male", False: "female"})
out.to_csv("static/data/penguins_predictions.csv", index=False)
acc = (out.loc[labelled, "sex_pred"] == out.loc[labelled, "sex"]).mean()
print(f"{len(out)} rows, accuracy {acc:.4f}")
for species, g in out[labelled].groupby("species"):
    print(species, len(g), f"{(g['sex_pred'] == g['sex']).mean():.4f}")
